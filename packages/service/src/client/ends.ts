import type { CallResult, PeerId, Transport } from "@raftkit/raft";

/**
 * How a client reaches one replica: a labrpc `ClientEnd` is one as it is, and `endsOf` makes one
 * per member of a Transport (such as transport-tcp's). With `id`, requests name the member they
 * are meant for, and a replica that is another member refuses them (a misconfigured address).
 */
export interface ServerEnd {
  call(method: string, args: unknown): Promise<CallResult<unknown>>;
  /** The raft id of the member this end reaches, when known. */
  readonly id?: PeerId;
}

/** One ServerEnd per peer id, each calling through `transport`. */
export function endsOf(transport: Pick<Transport, "call">, peers: readonly PeerId[]): ServerEnd[] {
  return peers.map((id) => ({ id, call: (method, args) => transport.call(id, method, args) }));
}
