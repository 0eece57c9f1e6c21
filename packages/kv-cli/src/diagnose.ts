import type { Probe } from "./cluster-client.js";
import { memberAtAddress } from "./endpoints.js";
import {
  type KvCliError,
  NoLeaderError,
  NoQuorumError,
  PeersMismatchError,
  WrongClusterError,
} from "./errors.js";
import type { Common } from "./options.js";

/** What is wrong with a member that did not answer a probe, in words. */
export function problemOf(probe: Probe, timeoutMs = 1000): string {
  const where = `member ${probe.id} at ${probe.address}`;
  const failure = probe.failure;
  if (!failure)
    return `${where}: no answer within ${timeoutMs} ms (overloaded, paused, or not a raftkit-kv member)`;
  switch (failure.kind) {
    case "connection-refused":
      return `${where}: connection refused (nothing listens there; is the member running?)`;
    case "timeout":
      return `${where}: no connection within the connect timeout (a firewall, or a wrong host?)`;
    case "wrong-id": {
      const actual = memberAtAddress(failure);
      return actual === undefined
        ? `${where}: ${failure.detail}`
        : `the member at ${probe.address} is member ${actual}, but --peers lists it as member ${probe.id}`;
    }
    default:
      return `${where}: ${failure.detail}`;
  }
}

/**
 * A member that answered lists `unreachable` at another address, and no member at its address:
 * --peers has it wrong. (An entry that is another member's address is that member: the client
 * reaches it under its own id, whatever the entry's position.)
 */
function misplaced(unreachable: Probe, probes: readonly Probe[]): string | undefined {
  for (const p of probes) {
    const listed = p.status?.peers?.[unreachable.id];
    if (
      listed !== undefined &&
      listed !== unreachable.address &&
      !p.status!.peers.includes(unreachable.address)
    ) {
      const why = unreachable.failure?.kind === "connection-refused" ? "connection refused" : "no answer";
      return `--peers lists member ${unreachable.id} at ${unreachable.address} (${why}), but member ${p.id} lists it at ${listed}`;
    }
  }
  return undefined;
}

/**
 * Why the cluster cannot answer, from every member's probe; undefined while it may yet answer.
 * `waitedMs` is set on the last look, when the request timed out: an election that never
 * finishes is then an error too.
 */
export function diagnose(
  probes: readonly Probe[],
  options: Common,
  waitedMs: number | undefined,
): KvCliError | undefined {
  const failed = probes.filter((p) => !p.status);
  const problems = (kind: string) => failed.filter((p) => p.failure?.kind === kind).map((p) => problemOf(p));
  const wrongCluster = problems("wrong-cluster");
  if (wrongCluster.length > 0) return new WrongClusterError(options.cluster, wrongCluster);
  // A shorter list than the members' is fine (the client learns the others from them), and a
  // member found at another entry's address is reached by its own id (Endpoints).
  const mismatches = problems("wrong-id");
  // A member refused for another id is named above; the others may just be at another address.
  for (const p of failed.filter((f) => f.failure?.kind !== "wrong-id")) {
    const wrongAddress = misplaced(p, probes);
    if (wrongAddress) mismatches.push(wrongAddress);
  }
  if (mismatches.length > 0) return new PeersMismatchError(mismatches);
  // Learners do not count toward a quorum.
  const voters = probes.filter((p) => !p.learner);
  const reachable = voters.filter((p) => p.status).length;
  if (reachable < Math.floor(voters.length / 2) + 1) {
    return new NoQuorumError(
      reachable,
      voters.length,
      failed.map((p) => problemOf(p)),
    );
  }
  if (waitedMs === undefined || probes.some((p) => p.status?.isLeader)) return undefined;
  return new NoLeaderError(
    waitedMs,
    probes.map((p) =>
      p.status ? `member ${p.id}: ${p.status.role} in term ${p.status.term}` : problemOf(p),
    ),
  );
}
