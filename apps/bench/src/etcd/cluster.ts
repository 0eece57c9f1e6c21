import { type ChildProcess, spawn } from "node:child_process";
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from "node:fs";
import { Agent } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { freePorts } from "@raftkit/transport-tcp/testkit";
import { onExit } from "../exit-cleanup.js";
import type { Timing } from "../scenario.js";
import { field, getText, postJson } from "./http.js";

/** A new cluster must have elected a leader within this long (etcd's own election takes ~1 s). */
const START_TIMEOUT_MS = 20_000;
const CONTROL_TIMEOUT_MS = 2_000;
/** A member gets this long to exit after SIGTERM before it is killed. */
const STOP_TIMEOUT_MS = 5_000;

interface MemberStatus {
  /** etcd's member id (a uint64, kept as the decimal string the gateway sends). */
  self: string;
  /** The leader's member id, "0" while there is none. */
  leader: string;
}

/**
 * `size` etcd members on 127.0.0.1 in a temporary directory, each with its data directory and
 * log file, with etcd's defaults (an fsync per commit, 100 ms heartbeats, 1 s election timeout)
 * unless a timing is given.
 * The processes and the directory go away on `close()`, or at the bench's exit however it ends.
 */
export class EtcdCluster {
  readonly #dir: string;
  readonly #children: Array<ChildProcess | undefined>;
  readonly #exited: Promise<unknown>[];
  readonly #agent = new Agent({ keepAlive: false });
  readonly #lastPeerBytes: number[];
  readonly #unregister: () => void;
  #closed = false;

  private constructor(
    readonly binary: string,
    /** Each member's client URL (the HTTP/JSON gateway), by member index. */
    readonly urls: readonly URL[],
    peerUrls: readonly string[],
    timing: Timing | undefined,
  ) {
    this.#dir = mkdtempSync(join(tmpdir(), "raftkit-bench-etcd-"));
    this.#unregister = onExit(() => this.#removeAll());
    this.#lastPeerBytes = urls.map(() => 0);
    const initialCluster = peerUrls.map((url, i) => `m${i}=${url}`).join(",");
    const token = `raftkit-bench-${process.pid}-${Date.now()}`;
    this.#children = urls.map((url, i) => {
      const log = openSync(this.#logFile(i), "w");
      const args = [
        ...["--name", `m${i}`, "--data-dir", join(this.#dir, `m${i}`)],
        ...["--listen-client-urls", url.origin, "--advertise-client-urls", url.origin],
        ...["--listen-peer-urls", peerUrls[i]!, "--initial-advertise-peer-urls", peerUrls[i]!],
        ...["--initial-cluster", initialCluster, "--initial-cluster-state", "new"],
        ...["--initial-cluster-token", token, "--logger", "zap", "--log-level", "warn"],
        ...(timing
          ? [
              ...["--heartbeat-interval", String(timing.heartbeatMs)],
              ...["--election-timeout", String(timing.electionTimeoutMs.min)],
            ]
          : []),
      ];
      const child = spawn(binary, args, { stdio: ["ignore", "ignore", log] });
      closeSync(log);
      return child;
    });
    this.#exited = this.#children.map(
      (child, i) =>
        new Promise<void>((resolve) => {
          const gone = () => {
            this.#children[i] = undefined;
            resolve();
          };
          child!.once("exit", gone);
          child!.once("error", gone); // e.g. not executable: reported with the log by start()
        }),
    );
  }

  /** The members' process ids (undefined for a member that was stopped). */
  get pids(): Array<number | undefined> {
    return this.#children.map((c) => c?.pid);
  }

  /**
   * Starts a cluster of `size` members and resolves once all of them name the same leader.
   * `timing` replaces etcd's heartbeat interval and election timeout (its min) if given.
   */
  static async start(binary: string, size: number, timing?: Timing): Promise<EtcdCluster> {
    const ports = await freePorts(2 * size);
    const urls = ports.slice(0, size).map((p) => new URL(`http://127.0.0.1:${p}`));
    const cluster = new EtcdCluster(
      binary,
      urls,
      ports.slice(size).map((p) => `http://127.0.0.1:${p}`),
      timing,
    );
    try {
      await cluster.#waitForLeader();
      return cluster;
    } catch (error) {
      await cluster.close();
      throw error;
    }
  }

  /** The index of the member that leads now, or -1 if no living member names one. */
  async leader(): Promise<number> {
    const all = await Promise.all(this.urls.map((_, i) => this.#status(i)));
    const named = all.find((s) => s && s.leader !== "0")?.leader;
    return named === undefined ? -1 : all.findIndex((s) => s?.self === named);
  }

  /**
   * Stops member `index`: SIGKILL as a crash would, or SIGTERM (etcd then hands its leadership
   * to another member before it exits). Resolves once the process has exited (bounded).
   */
  async stop(index: number, signal: "SIGKILL" | "SIGTERM"): Promise<void> {
    const child = this.#children[index];
    if (!child) return;
    child.kill(signal);
    await Promise.race([this.#exited[index], sleep(STOP_TIMEOUT_MS)]);
  }

  /**
   * Bytes the members have sent each other so far: etcd_network_peer_sent_bytes_total summed over
   * members (a dead member keeps its last count, so the total never goes backwards).
   */
  async peerBytesSent(): Promise<number> {
    await Promise.all(
      this.urls.map(async (url, i) => {
        if (!this.#children[i]) return;
        const text = await getText(this.#agent, url, "/metrics", CONTROL_TIMEOUT_MS).catch(() => undefined);
        const sum = text === undefined ? undefined : counterSum(text, "etcd_network_peer_sent_bytes_total");
        if (sum !== undefined) this.#lastPeerBytes[i] = sum;
      }),
    );
    return this.#lastPeerBytes.reduce((a, b) => a + b, 0);
  }

  /** Stops every member (SIGTERM, then SIGKILL after STOP_TIMEOUT_MS) and removes the data. Idempotent. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    for (const child of this.#children) child?.kill("SIGTERM");
    await Promise.race([Promise.all(this.#exited), sleep(STOP_TIMEOUT_MS)]);
    this.#removeAll();
    this.#unregister();
    this.#agent.destroy();
  }

  #logFile(i: number): string {
    return join(this.#dir, `m${i}.log`);
  }

  #removeAll(): void {
    for (const child of this.#children) child?.kill("SIGKILL");
    rmSync(this.#dir, { recursive: true, force: true, maxRetries: 5 });
  }

  async #waitForLeader(): Promise<void> {
    const tail = (i: number) =>
      readFileSync(this.#logFile(i), "utf8").trim().split("\n").slice(-5).join("\n");
    const deadline = performance.now() + START_TIMEOUT_MS;
    for (;;) {
      const dead = this.#children.findIndex((c) => !c);
      if (dead >= 0)
        throw new Error(`etcd member ${dead} (${this.binary}) exited while starting:\n${tail(dead)}`);
      const all = await Promise.all(this.urls.map((_, i) => this.#status(i)));
      if (all.every((s) => s && s.leader !== "0" && s.leader === all[0]!.leader)) return;
      if (performance.now() > deadline)
        throw new Error(
          `etcd members elected no leader within ${START_TIMEOUT_MS} ms; member 0's log:\n${tail(0)}`,
        );
      await sleep(50);
    }
  }

  async #status(i: number): Promise<MemberStatus | undefined> {
    if (!this.#children[i]) return undefined;
    try {
      const reply = await postJson(
        this.#agent,
        this.urls[i]!,
        "/v3/maintenance/status",
        {},
        CONTROL_TIMEOUT_MS,
      );
      if (reply.status !== 200) return undefined;
      const self = field(field(reply.body, "header"), "member_id");
      return { self: String(self), leader: String(field(reply.body, "leader") ?? "0") };
    } catch {
      return undefined;
    }
  }
}

/** The sum of every sample of counter `name` in a Prometheus text page, or undefined if unreadable. */
export function counterSum(text: string, name: string): number | undefined {
  let sum = 0;
  for (const line of text.split("\n")) {
    if (line.startsWith(`${name}{`) || line.startsWith(`${name} `))
      sum += Number(line.slice(line.lastIndexOf(" ") + 1));
  }
  return Number.isFinite(sum) ? sum : undefined;
}
