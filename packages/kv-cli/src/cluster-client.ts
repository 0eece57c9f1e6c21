import { setTimeout as sleep } from "node:timers/promises";
import { Clerk } from "@raftkit/kvraft";
import { SERVICE_WIRE_CODECS } from "@raftkit/service";
import { FrameSizeError, type PeerLinkError, TcpTransport } from "@raftkit/transport-tcp";
import { nanoid } from "nanoid";
import { ADMIN_STATUS, type MemberStatus } from "./admin.js";
import { diagnose } from "./diagnose.js";
import { Endpoints, type KnownMember } from "./endpoints.js";
import { KvCliError, PeersMismatchError, ValueTooLargeError } from "./errors.js";
import type { Common } from "./options.js";
import { readTls } from "./tls.js";

/** One member as a client sees it: its status, or why it could not be had. */
export interface Probe {
  id: number;
  address: string;
  status: MemberStatus | undefined;
  failure: PeerLinkError | undefined;
  /** A learner in the configuration a member showed (it does not count toward a quorum). */
  learner?: boolean;
}

// When a request has not completed after this long, ask every member why (refused connections
// show up at once on loopback; an election takes ~0.5-1 s with raft's default timeouts).
const FIRST_LOOK_MS = 500;
const LOOK_EVERY_MS = 1000;
const PROBE_TIMEOUT_MS = 1000;
// After a request succeeded, how long to wait for the members' answers that would show a --peers
// list disagreeing with theirs (a wrong address is harmless for this request, not for the next).
const MISMATCH_LOOK_MS = 300;

/** The TCP transport a client process (not a member) reaches the cluster's members with. */
export function clientTransport(options: Common, role: string, callTimeoutMs: number): TcpTransport {
  return new TcpTransport({
    cluster: options.cluster,
    self: `${role}-${nanoid(8)}`,
    peers: options.peers,
    callTimeoutMs,
    maxFrameBytes: options.maxMessageBytes,
    codecs: SERVICE_WIRE_CODECS,
    ...(options.tls ? { tls: readTls(options.tls) } : {}),
    log: () => {},
  });
}

/**
 * A Clerk over TCP, as a client (not a member) of the cluster, that can say why it gets no answer.
 * It starts from --peers and learns the other members from the configuration (Endpoints).
 */
export class ClusterClient {
  readonly clerk: Clerk;
  readonly #tcp: TcpTransport;
  readonly #endpoints: Endpoints;

  constructor(
    readonly options: Common,
    /** Where a warning goes (a --peers list that disagrees with the cluster, on a request that succeeded). */
    private readonly warn: (message: string) => void = (message) =>
      process.stderr.write(`raftkit-kv: warning: ${message}\n`),
  ) {
    this.#tcp = clientTransport(options, "client", 2000);
    this.#endpoints = new Endpoints(this.#tcp, options.peers);
    this.clerk = new Clerk(this.#endpoints.seeds(), { endsFor: this.#endpoints.endsFor });
  }

  /**
   * Every member's Admin.Status, or why it could not be had, asked all at once: the members
   * known, then those of the configuration the answers show (members not in it are left out).
   */
  async probe(timeoutMs = PROBE_TIMEOUT_MS): Promise<Probe[]> {
    const first = await this.#probeEach(this.#endpoints.list(), timeoutMs);
    const config = configurationOf(first);
    if (!config) return first;
    this.#endpoints.learn(config.members, config.addresses);
    const probed = new Set(first.map((p) => p.id));
    const more = await this.#probeEach(
      this.#endpoints.list().filter((m) => !probed.has(m.id)),
      timeoutMs,
    );
    return [...first, ...more]
      .filter((p) => config.members.includes(p.id))
      .map((p) => (config.learners.includes(p.id) ? { ...p, learner: true } : p))
      .sort((a, b) => a.id - b.id);
  }

  #probeEach(members: readonly KnownMember[], timeoutMs: number): Promise<Probe[]> {
    return Promise.all(
      members.map(async ({ id, address }) => {
        const result = await this.#endpoints.call(id, ADMIN_STATUS, null, timeoutMs);
        const status = result.ok ? (result.reply as MemberStatus) : undefined;
        return {
          id: status?.id ?? id,
          address,
          status,
          failure: status ? undefined : this.#tcp.peerFailure(id),
        };
      }),
    );
  }

  /**
   * Runs `operation` with a signal that ends it after `--timeout`, or as soon as the members'
   * answers show that it cannot complete (no quorum, wrong cluster name, a peers list that
   * disagrees): it then rejects with the KvCliError that says so.
   */
  async run<T>(operation: (signal: AbortSignal) => Promise<T>): Promise<T> {
    const started = performance.now();
    const stop = new AbortController();
    const deadline = AbortSignal.timeout(this.options.timeoutMs);
    const signal = AbortSignal.any([stop.signal, deadline]);
    let verdict: KvCliError | undefined;
    const watch = async () => {
      for (let wait = FIRST_LOOK_MS; ; wait = LOOK_EVERY_MS) {
        await sleep(wait, undefined, { signal });
        verdict = diagnose(await this.probe(), this.options, undefined);
        if (verdict) return stop.abort(verdict);
      }
    };
    const watching = watch().catch(() => {});
    const early = this.probe().catch(() => undefined);
    try {
      const result = await operation(signal);
      await this.#warnOfMismatch(early);
      return result;
    } catch (error) {
      if (verdict) throw verdict;
      if (error instanceof FrameSizeError) throw new ValueTooLargeError(error.length, error.limit);
      const refused = refusedAsTooLarge(error);
      if (refused) throw refused;
      if (!deadline.aborted) throw error;
      const waitedMs = Math.round(performance.now() - started);
      throw (
        diagnose(await this.probe(), this.options, waitedMs) ??
        new KvCliError(
          `no answer within ${this.options.timeoutMs} ms, although a leader is reachable: the cluster may be overloaded. Try again, or raise --timeout.`,
        )
      );
    } finally {
      stop.abort();
      await watching;
    }
  }

  /** Warns when the members' own lists show --peers wrong, if they answered within a moment. */
  async #warnOfMismatch(early: Promise<Probe[] | undefined>): Promise<void> {
    // The pause is cancelled once the race is over: a pending timer would hold the process 300 ms.
    const over = new AbortController();
    const pause = sleep(MISMATCH_LOOK_MS, undefined, { signal: over.signal }).then(
      () => undefined,
      () => undefined,
    );
    const probes = await Promise.race([early, pause]);
    over.abort();
    const verdict = probes && diagnose(probes, this.options, undefined);
    if (verdict instanceof PeersMismatchError) this.warn(verdict.message);
  }

  close(): Promise<void> {
    return this.#tcp.close();
  }
}

/**
 * The configuration the members that answered show (the one of the highest term, then the
 * furthest log), with every address they know; undefined when none says (older members).
 */
function configurationOf(probes: readonly Probe[]) {
  let best: MemberStatus | undefined;
  for (const { status } of probes) {
    if (!status?.voters || !status.learners) continue;
    if (
      !best ||
      status.term > best.term ||
      (status.term === best.term && status.commitIndex > best.commitIndex)
    )
      best = status;
  }
  if (!best?.voters || !best.learners) return undefined;
  return {
    members: [...best.voters, ...best.learners],
    learners: best.learners,
    addresses: best.peers.map((address, id) => ({ id, address })),
  };
}

/**
 * A member's refusal of a command over its size limit (the service layer's ValueTooLargeError,
 * recognised by its fields so that this program works with any client that reports one).
 */
function refusedAsTooLarge(error: unknown): ValueTooLargeError | undefined {
  const e = error as { name?: unknown; sizeBytes?: unknown; limitBytes?: unknown } | null;
  if (e?.name !== "ValueTooLargeError" || typeof e.sizeBytes !== "number" || typeof e.limitBytes !== "number")
    return undefined;
  return new ValueTooLargeError(e.sizeBytes, e.limitBytes, true);
}
