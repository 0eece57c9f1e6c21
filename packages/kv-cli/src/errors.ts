/**
 * Errors a person sees from raftkit-kv: each names what is wrong and what to do, and carries the
 * process exit code. UsageError (bad command line, exit 2) lives in options.ts.
 */
export class KvCliError extends Error {
  override readonly name: string = "KvCliError";
  readonly code: string = "ERR_RAFTKIT_KV";
  /** The process exit code for this error. */
  readonly exitCode: number = 1;
}

/** Fewer than a majority of the members can be reached, so nothing can be read or written. */
export class NoQuorumError extends KvCliError {
  override readonly name = "NoQuorumError";
  override readonly code = "ERR_RAFTKIT_KV_NO_QUORUM";
  constructor(
    readonly reachable: number,
    readonly members: number,
    readonly problems: readonly string[],
  ) {
    const needed = Math.floor(members / 2) + 1;
    super(
      `no quorum: ${reachable} of ${members} members reachable, ${needed} needed\n${problems.map((p) => `  ${p}`).join("\n")}\n` +
        (reachable === 0
          ? "Is the cluster running, and are --peers right?"
          : "Start the missing members (or fix their addresses in --peers)."),
    );
  }
}

/** A member belongs to another cluster than --cluster names. */
export class WrongClusterError extends KvCliError {
  override readonly name = "WrongClusterError";
  override readonly code = "ERR_RAFTKIT_KV_WRONG_CLUSTER";
  constructor(
    readonly cluster: string,
    readonly problems: readonly string[],
  ) {
    super(
      `wrong cluster name: the members refused "${cluster}"\n${problems.map((p) => `  ${p}`).join("\n")}\n` +
        "Give the members' --cluster name.",
    );
  }
}

/** --peers lists a member at another address than the cluster uses. */
export class PeersMismatchError extends KvCliError {
  override readonly name = "PeersMismatchError";
  override readonly code = "ERR_RAFTKIT_KV_PEERS_MISMATCH";
  constructor(readonly problems: readonly string[]) {
    super(
      `--peers disagrees with the cluster:\n${problems.map((p) => `  ${p}`).join("\n")}\n` +
        "Give members' addresses as the cluster knows them (raftkit-kv member list shows them), or leave the wrong ones out: the client learns the others from the cluster.",
    );
  }
}

/** A majority answers but no member leads (an election that does not finish). */
export class NoLeaderError extends KvCliError {
  override readonly name = "NoLeaderError";
  override readonly code = "ERR_RAFTKIT_KV_NO_LEADER";
  constructor(
    readonly waitedMs: number,
    readonly problems: readonly string[],
  ) {
    super(
      `no leader after ${waitedMs} ms although a majority answers:\n${problems.map((p) => `  ${p}`).join("\n")}\n` +
        "The members may disagree about their peers lists or be overloaded; see their logs.",
    );
  }
}

/**
 * The request (key plus value) is over the largest message this client sends (`--max-message-bytes`)
 * or, `refusedByCluster`, over the largest value the members accept (raft's proposal limit).
 */
export class ValueTooLargeError extends KvCliError {
  override readonly name = "ValueTooLargeError";
  override readonly code = "ERR_RAFTKIT_KV_VALUE_TOO_LARGE";
  constructor(
    readonly bytes: number,
    readonly limitBytes: number,
    readonly refusedByCluster = false,
  ) {
    super(
      `value too large: ${describeBytes(bytes)} is over the limit of ${describeBytes(limitBytes)}` +
        (refusedByCluster
          ? " (refused by the cluster). Store it in pieces of at most that size."
          : ". Store it in pieces, or raise --max-message-bytes on every member and client."),
    );
  }
}

/** `get` of a key that has no value: exit code 3, so scripts can tell it from an empty value. */
export class KeyNotFoundError extends KvCliError {
  override readonly name = "KeyNotFoundError";
  override readonly code = "ERR_RAFTKIT_KV_NOT_FOUND";
  override readonly exitCode = 3;
  constructor(readonly key: string) {
    super(`no such key: ${JSON.stringify(key)}`);
  }
}

/** `1536` -> `"1536 bytes"`, `67108864` -> `"64.0 MiB (67108864 bytes)"`. */
export function describeBytes(bytes: number): string {
  if (bytes < 1024 * 1024) return `${bytes} bytes`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MiB (${bytes} bytes)`;
}

/** `serve` could not listen: another process (often the same member started twice) has the port. */
export class PortInUseError extends KvCliError {
  override readonly name = "PortInUseError";
  override readonly code = "ERR_RAFTKIT_KV_PORT_IN_USE";
  constructor(readonly address: string) {
    super(
      `${address} is already in use: is this member already running? Stop the other process, or ` +
        "give this member another address (--peers, --listen)",
    );
  }
}

/** A membership change the cluster refused (an unknown member, the last voter, ...). */
export class MembershipChangeRefusedError extends KvCliError {
  override readonly name = "MembershipChangeRefusedError";
  override readonly code = "ERR_RAFTKIT_KV_MEMBERSHIP_REFUSED";
  constructor(
    readonly serviceCode: string,
    reason: string,
  ) {
    super(
      serviceCode === "MEMBER_ID_REMOVED"
        ? `${reason}\nStart the new member with an empty --data as raftkit-kv serve --join --id <new id> --listen <host:port>, then run raftkit-kv member add <new id> <host:port>.`
        : `${reason}\nRun raftkit-kv member list to see the configuration.`,
    );
  }
}
