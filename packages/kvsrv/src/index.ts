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
  KvSuperseded,
  PutCommand,
} from "./commands.js";
export {
  KvProtocolError,
  MalformedCommandError,
  SnapshotFormatError,
  SupersededRequestError,
} from "./errors.js";
export {
  type DeleteArgs,
  type GetArgs,
  KV_METHODS,
  KV_SERVICE,
  type KvReply,
  type KvUnknownMethod,
  opOfMethod,
  type PutAppendArgs,
} from "./protocol.js";
export { type ReplyReading, readKvReply } from "./read-reply.js";
export { KvServer, type KvServerOptions, kvServiceHandlers } from "./server.js";
export { KvStateMachine, type KvStateMachineOptions } from "./state-machine.js";
export { malformedResult, parseKvCommand, parseKvRequest } from "./validate.js";
