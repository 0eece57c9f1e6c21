export { ADMIN_STATUS, type MemberStatus } from "./admin.js";
