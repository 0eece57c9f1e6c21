export { ADMIN_STATUS, type MemberStatus } from "./admin.js";
export {
  ADMIN_CHANGE_MEMBERSHIP,
  ADMIN_MEMBERS,
  type ChangeReply,
  isMembersReply,
  type MembersReply,
} from "./member/membership.js";
