export type { CallOptions } from "@raftkit/kvsrv";
export { KV_METHODS, KV_SERVICE } from "@raftkit/kvsrv";
export { Clerk, type ClerkOptions } from "./clerk.js";
export { endsOf, type ServerEnd } from "./ends.js";
export { KvRaftConfigError } from "./errors.js";
export type {
  KvRaftCommand,
  KvRaftReply,
  KvRaftUnknownMethod,
  KvTimeout,
  KvTooLarge,
  KvWrongLeader,
} from "./protocol.js";
export { type KvRaftEntry, KvRaftServer, type KvRaftServerOptions } from "./server.js";
export { kvRaftServiceHandlers } from "./service.js";
export { type SharedTransport, shareTransport } from "./share.js";
