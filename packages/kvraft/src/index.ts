export { type CallOptions, Clerk, type ClerkOptions } from "./clerk.js";
export { decodeKvCommand, encodeKvCommand, parseKvRaftCommand } from "./command.js";
export { KvRaftConfigError } from "./errors.js";
export {
  type KvRaftAnswer,
  type KvRaftCommand,
  type KvRaftResult,
  kvRaftParsers,
} from "./protocol.js";
export { type KvRaftEntry, KvRaftServer, type KvRaftServerOptions } from "./server.js";
export { KvRaftStateMachine } from "./state-machine.js";
