import { KV_METHODS } from "@raftkit/kvsrv";
import type { KvRaftReply } from "./protocol.js";
import type { KvRaftServer } from "./server.js";

/**
 * Handlers for an RPC framework that dispatches `"KVServer.<Method>"` to an object of methods,
 * such as labrpc's `new Service("KVServer", kvRaftServiceHandlers(server))`.
 */
export function kvRaftServiceHandlers(
  server: KvRaftServer,
): Record<"Get" | "Put" | "Append" | "Delete", (args: unknown) => KvRaftReply | Promise<KvRaftReply>> {
  return {
    Get: (args) => server.handle(KV_METHODS.get, args),
    Put: (args) => server.handle(KV_METHODS.put, args),
    Append: (args) => server.handle(KV_METHODS.append, args),
    Delete: (args) => server.handle(KV_METHODS.delete, args),
  };
}
