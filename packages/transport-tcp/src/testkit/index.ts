export { freePorts } from "./free-ports.js";
