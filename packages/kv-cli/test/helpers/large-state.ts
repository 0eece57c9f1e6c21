import { mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Clerk } from "@raftkit/kvraft";
import { endsOf } from "@raftkit/service";
import { TcpTransport } from "@raftkit/transport-tcp";
import { freePorts } from "@raftkit/transport-tcp/testkit";
import { ProcessCluster } from "./process-cluster.js";

/**
 * A 3-member `raftkit-kv` cluster (real processes, file storage, fsync) is loaded with
 * `totalBytes` of values while one follower is down; the follower is restarted and must catch up
 * through the leader's snapshot, which is larger than any message may be: it travels in chunks.
 * Measures how long the follower takes, and the leader's resident memory while it sends.
 */
export interface LargeStateOptions {
  totalBytes: number;
  /** Each put's value (well under raft's 1 MiB proposal limit). */
  valueBytes: number;
  /** The members' --max-raft-state: how often they snapshot. */
  maxRaftStateBytes: number;
  /** Concurrent writers. */
  writers: number;
  /** Give up on the follower catching up after this long. */
  catchUpWithinMs: number;
  log?: (line: string) => void;
}

export interface LargeStateFigures {
  keys: number;
  loadSeconds: number;
  /** From the follower's restart until it has applied everything the leader had committed. */
  recoverySeconds: number;
  /** The leader's RSS before the restart, at its highest while the follower caught up, and its VmHWM. */
  leaderRssBeforeMiB: number;
  leaderRssPeakMiB: number;
  leaderHighWaterMiB: number;
  /** Size of the snapshot file the follower ended with. */
  followerSnapshotMiB: number;
  /** Exit codes of members that exited on their own (none should). */
  unexpectedExits: number;
}

const MiB = 1024 * 1024;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** VmRSS and VmHWM of a process, in MiB (Linux). */
function memoryOf(pid: number): { rss: number; hwm: number } {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const kib = (field: string) => Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(status)?.[1] ?? 0);
  return { rss: kib("VmRSS") / 1024, hwm: kib("VmHWM") / 1024 };
}

async function appliedIndex(httpPort: number): Promise<number> {
  const text = await (await fetch(`http://127.0.0.1:${httpPort}/metrics`)).text();
  return Number(/^raftkit_kv_applied_index (\d+)/m.exec(text)?.[1] ?? -1);
}

async function commitIndex(httpPort: number): Promise<number> {
  const text = await (await fetch(`http://127.0.0.1:${httpPort}/metrics`)).text();
  return Number(/^raftkit_kv_commit_index (\d+)/m.exec(text)?.[1] ?? -1);
}

export async function largeStateCheck(options: LargeStateOptions): Promise<LargeStateFigures> {
  const log = options.log ?? (() => {});
  const root = mkdtempSync(join(tmpdir(), "raftkit-large-"));
  const ports = await freePorts(6);
  const peers = ports.slice(0, 3).map((port) => `127.0.0.1:${port}`);
  const http = ports.slice(3);
  const cluster = new ProcessCluster(
    peers,
    (i) => join(root, `node-${i}`),
    (i) => [
      "--http",
      `127.0.0.1:${http[i]}`,
      "--max-raft-state",
      String(options.maxRaftStateBytes),
      "--log-format",
      "json",
    ],
  );
  const tcp = new TcpTransport({ cluster: "raftkit", self: "large-state", peers, log: () => {} });
  const clerks = Array.from(
    { length: options.writers },
    () =>
      new Clerk(
        endsOf(
          tcp,
          peers.map((_, i) => i),
        ),
      ),
  );
  try {
    for (const i of [0, 1, 2]) cluster.start(i);
    const leader = await cluster.leader();
    const follower = (leader + 1) % 3;
    await clerks[0]!.put("first", "before the follower went down");
    await cluster.kill9(follower);
    log(`leader ${leader}; follower ${follower} killed; loading ${options.totalBytes / MiB} MiB`);

    const keys = Math.ceil(options.totalBytes / options.valueBytes);
    const loadStart = performance.now();
    let next = 0;
    await Promise.all(
      clerks.map(async (clerk) => {
        for (let k = next++; k < keys; k = next++) {
          await clerk.put(`key-${k}`, String.fromCharCode(97 + (k % 26)).repeat(options.valueBytes));
          if (k % 64 === 0) log(`  ${k}/${keys} values written`);
        }
      }),
    );
    const loadSeconds = (performance.now() - loadStart) / 1000;
    const target = await commitIndex(http[leader]!);
    const leaderPid = cluster.pidOf(leader)!;
    const before = memoryOf(leaderPid);
    log(`loaded in ${loadSeconds.toFixed(1)} s; leader committed ${target}; restarting follower ${follower}`);

    let peak = before.rss;
    const restartAt = performance.now();
    cluster.start(follower);
    let caughtUpAt: number | undefined;
    while (performance.now() - restartAt < options.catchUpWithinMs) {
      peak = Math.max(peak, memoryOf(leaderPid).rss);
      const applied = await appliedIndex(http[follower]!).catch(() => -1);
      if (applied >= target) {
        caughtUpAt = performance.now();
        break;
      }
      await sleep(25);
    }
    if (caughtUpAt === undefined)
      throw new Error(`follower ${follower} did not catch up within ${options.catchUpWithinMs} ms`);
    const after = memoryOf(leaderPid);
    // Every member is still serving, and the cluster still takes writes.
    await clerks[0]!.put("last", "after the follower caught up");
    const unexpectedExits = [0, 1, 2].filter((i) => !cluster.isRunning(i)).length;
    return {
      keys,
      loadSeconds,
      recoverySeconds: (caughtUpAt - restartAt) / 1000,
      leaderRssBeforeMiB: before.rss,
      leaderRssPeakMiB: peak,
      leaderHighWaterMiB: after.hwm,
      followerSnapshotMiB: statSync(join(root, `node-${follower}`, "snapshot.bin")).size / MiB,
      unexpectedExits,
    };
  } finally {
    await cluster.stopAll();
    await tcp.close();
    rmSync(root, { recursive: true, force: true });
  }
}
