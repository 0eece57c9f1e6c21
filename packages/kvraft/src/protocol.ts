import { MalformedCommandError } from "@raftkit/kvsrv";
import type { WireParsers } from "@raftkit/service";
import { type KvRaftCommand, parseKvRaftCommand } from "./command.js";

/**
 * kvraft's wire protocol is the service layer's (`Service.OpenSession`, `Service.Submit`,
 * `Service.Read`; see `SERVICE_METHODS` in @raftkit/service): a Submit carries one of kvsrv's
 * commands in kvraft's compact form (`KvRaftCommand`: `[1, key, value]` for a put, ...) and
 * resolves with a `KvRaftResult` (nothing for a write); a Read carries a key and resolves with
 * its value (nothing when the key is absent). The client's session (the id the cluster gave it and a sequence number)
 * travels beside the command, and the service layer executes each write once.
 */

export type { KvRaftAnswer, KvRaftCommand, KvRaftResult } from "./command.js";

/** Checks a Read's query: a key. */
function parseKey(value: unknown): string {
  if (typeof value !== "string") throw new MalformedCommandError("query", "a key (a string)");
  return value;
}

/** How a KvRaftServer reads untrusted commands and queries off the wire (errors name the field). */
export const kvRaftParsers: WireParsers<KvRaftCommand, string> = Object.freeze({
  parseCommand: parseKvRaftCommand,
  parseQuery: parseKey,
});
