export { CLI, type ServeProcess, spawnServe } from "./serve-process.js";
