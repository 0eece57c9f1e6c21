import type { KvCommand, KvResult } from "@raftkit/kvsrv";
import { KV_METHODS } from "@raftkit/kvsrv";

/**
 * The wire protocol between a Clerk and the KvRaftServers. Method names and argument shapes are
 * kvsrv's (`KVServer.Get` with `{ key }`, `KVServer.Put`/`KVServer.Append` with
 * `{ key, value, clientId, seq }`); the replies add the outcomes of a replicated service.
 */

/** This server is not the leader, or lost leadership before the request committed: try another. */
export interface KvWrongLeader {
  readonly status: "wrong-leader";
}

/**
 * The leader did not see the request commit in time (it may be cut off from a majority). The
 * request may still take effect later, at most once: retry, on another server if need be.
 */
export interface KvTimeout {
  readonly status: "timeout";
}

/** The command is larger than the servers accept: it was not logged. The clerk throws ValueTooLargeError. */
export interface KvTooLarge {
  readonly status: "too-large";
  readonly sizeBytes: number;
  readonly limitBytes: number;
  readonly message: string;
}

/** The server does not know the method it was called with. */
export interface KvRaftUnknownMethod {
  readonly status: "unknown-method";
  readonly method: string;
  readonly methods: readonly string[];
}

/** Every reply a KvRaftServer sends. */
export type KvRaftReply = KvResult | KvWrongLeader | KvTimeout | KvTooLarge | KvRaftUnknownMethod;

/** A command as the servers put it in the raft log (kvsrv's commands). */
export type KvRaftCommand = KvCommand;

export const WRONG_LEADER: KvWrongLeader = Object.freeze({ status: "wrong-leader" });
export const TIMEOUT: KvTimeout = Object.freeze({ status: "timeout" });

/** Every method a KvRaftServer answers. */
export const KV_METHOD_LIST: readonly string[] = Object.freeze(Object.values(KV_METHODS));

/** The operation an RPC method name stands for, if any (kvsrv's table). */
export { opOfMethod } from "@raftkit/kvsrv";
