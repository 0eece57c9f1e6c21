export { type CallOptions, Clerk, type ClerkOptions } from "./clerk.js";
export type {
  AppendCommand,
  DeleteCommand,
  GetCommand,
  KvCommand,
  KvMalformed,
  KvOk,
  KvOp,
  KvResult,
  KvSession,
  PutCommand,
} from "./commands.js";
export { MalformedCommandError, SnapshotFormatError } from "./errors.js";
export {
  type DeleteArgs,
  type GetArgs,
  KV_METHODS,
  KV_OPEN_SESSION,
  KV_SERVER_METHODS,
  KV_SERVICE,
  type KvReply,
  type KvSessionExpired,
  type KvSuperseded,
  type KvUnknownMethod,
  type OpenSessionArgs,
  opOfMethod,
  type PutAppendArgs,
} from "./protocol.js";
export { type ReplyReading, readKvReply } from "./read-reply.js";
export { KvServer, type KvServerOptions, kvServiceHandlers } from "./server.js";
export { KvStateMachine, type KvStateMachineOptions } from "./state-machine.js";
export {
  type KvRequest,
  malformedResult,
  parseClientId,
  parseKvCommand,
  parseKvRequest,
} from "./validate.js";
