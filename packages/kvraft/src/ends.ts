import type { CallResult, PeerId, Transport } from "@raftkit/raft";

/**
 * How a Clerk reaches one server: a labrpc `ClientEnd` is one as it is, and `endsOf` turns a
 * Transport (such as transport-tcp's) into one per server.
 */
export interface ServerEnd {
  call(method: string, args: unknown): Promise<CallResult<unknown>>;
}

/** One ServerEnd per peer id, each calling through `transport`. */
export function endsOf(transport: Pick<Transport, "call">, peers: readonly PeerId[]): ServerEnd[] {
  return peers.map((peer) => ({ call: (method, args) => transport.call(peer, method, args) }));
}
