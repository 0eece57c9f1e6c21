// Where the time of a one-client durable put goes, observed rather than profiled: every process's
// socket writes and reads, fdatasyncs and garbage collections are timestamped on the machine's
// monotonic clock (timeline-tap.mjs), and each put is cut into the steps of its critical path —
// client → leader → AppendEntries → the first follower's durable answer → a second durable copy
// (the leader's own fdatasync or the other follower's answer, whichever comes first, if not yet) →
// commit → answer → client. The steps of a put add up to its latency exactly. A step between two
// processes ("→") is the kernel and the wait until the reader runs; on a machine with fewer cores
// than busy processes, that wait is where the tail grows.
//
//   node apps/bench/scripts/put-timeline.mjs [--puts 3000] [--warmup 1000] [--value-bytes 100]
//     [--slow-ms 3] [--no-sync] [--json <file>]
//
// Starts three `raftkit-kv serve` members on 127.0.0.1 (fsync on unless --no-sync) with the tap
// preloaded; one client in this process puts --warmup values, then --puts more, one at a time.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { Clerk } from "@raftkit/kvraft";
import { endsOf } from "@raftkit/service";
import { startLocalCluster } from "./local-cluster.mjs";
import { percentiles } from "./percentiles.mjs";
import { timeline as clientTimeline, now } from "./timeline-tap.mjs";

const usage =
  "usage: put-timeline.mjs [--puts N] [--warmup N] [--value-bytes N] [--slow-ms MS] [--no-sync] [--json FILE]";
let flags;
try {
  ({ values: flags } = parseArgs({
    options: {
      puts: { type: "string", default: "3000" },
      warmup: { type: "string", default: "1000" },
      "value-bytes": { type: "string", default: "100" },
      "slow-ms": { type: "string", default: "3" },
      "no-sync": { type: "boolean", default: false },
      json: { type: "string" },
    },
  }));
} catch (error) {
  console.error(`put-timeline: ${error.message}\n${usage}`);
  process.exit(2);
}
const puts = Number(flags.puts);
const warmup = Number(flags.warmup);
const valueBytes = Number(flags["value-bytes"]);
const slowMs = Number(flags["slow-ms"]);
for (const [name, value, min] of [
  ["--puts", puts, 1],
  ["--warmup", warmup, 0],
  ["--value-bytes", valueBytes, 1],
]) {
  if (!Number.isInteger(value) || value < min) {
    console.error(`put-timeline: ${name} must be a whole number of at least ${min}\n${usage}`);
    process.exit(2);
  }
}
if (!(slowMs > 0)) {
  console.error(`put-timeline: --slow-ms must be a number of milliseconds above 0\n${usage}`);
  process.exit(2);
}

const STEPS = [
  "client: encode, send",
  "client → leader",
  "leader: request → AppendEntries sent",
  "AppendEntries → follower reads it",
  "follower: write, fdatasync, answer",
  "answer → leader reads it",
  "waiting for a second durable copy",
  "leader: commit, apply → answer sent",
  "leader → client",
  "client: answer → put resolves",
];

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const here = dirname(fileURLToPath(import.meta.url));
const dir = mkdtempSync(join(tmpdir(), "raftkit-put-timeline-"));
const cluster = await startLocalCluster({
  dir,
  env: { TIMELINE_TAP_DIR: dir, NODE_OPTIONS: `--import ${join(here, "timeline-tap.mjs")}` },
  serveArgs: flags["no-sync"] ? ["--no-sync"] : [],
});

try {
  const clerk = new Clerk(endsOf(cluster.tcp, [0, 1, 2]));
  const value = "v".repeat(valueBytes);
  for (let i = 0; i < warmup; i++) await clerk.put(`k${i % 1000}`, value);
  const measured = [];
  for (let i = 0; i < puts; i++) {
    const started = now();
    await clerk.put(`k${i % 1000}`, value);
    measured.push([started, now()]);
  }
  const leaderId = clerk.preferredServer;
  const members = await readTimelines(cluster.members);
  const report = analyse(measured, members, leaderId);
  print(report);
  if (flags.json) writeFileSync(flags.json, `${JSON.stringify(report, null, 2)}\n`);
} finally {
  await cluster.close();
  rmSync(dir, { recursive: true, force: true, maxRetries: 5 });
}

/** Every member's recorded events (SIGUSR2 makes each write them). */
async function readTimelines(members) {
  for (const m of members) m.kill("SIGUSR2");
  const read = (m) => {
    try {
      return JSON.parse(readFileSync(join(dir, `${m.pid}.json`), "utf8"));
    } catch {
      return undefined;
    }
  };
  for (let i = 0; ; i++) {
    const all = members.map(read);
    if (all.every(Boolean)) return all;
    if (i > 500) throw new Error("put-timeline: a member did not write its timeline within 5 s");
    await sleep(10);
  }
}

function analyse(measured, members, leaderId) {
  const leader = members[leaderId];
  const followers = members.filter((_, id) => id !== leaderId);
  const client = clientTimeline;
  // A socket is known by its two ports; its other end is the socket with them swapped.
  const owner = new Map();
  for (const p of [...members, client])
    for (const [, , local, remote] of p.sockets) owner.set(`${local}:${remote}`, p);
  const peerOf = (event) => owner.get(`${event[3]}:${event[2]}`);
  /** The first of `events` (in time order) at or after `from` that passes `test`. */
  const first = (events, from, test) => {
    let lo = 0;
    let hi = events.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (events[mid][0] < from) lo = mid + 1;
      else hi = mid;
    }
    for (let i = lo; i < events.length; i++) if (test(events[i])) return events[i];
    return undefined;
  };
  /** Tests for a write to `to`, and a read of what `from` sent, of at least `minBytes`. */
  const sent =
    (to, minBytes = 1) =>
    (e) =>
      e[1] === "w" && peerOf(e) === to && e[4] >= minBytes;
  const got =
    (from, minBytes = 1) =>
    (e) =>
      e[1] === "r" && peerOf(e) === from && e[4] >= minBytes;

  const rows = [];
  let unattributed = 0;
  for (const [start, end] of measured) {
    const cw = first(client.sockets, start, sent(leader));
    const lr = cw && first(leader.sockets, cw[0], got(client));
    if (!lr) {
      unattributed++;
      continue;
    }
    let best;
    const acks = [];
    let aeSent = Number.POSITIVE_INFINITY;
    for (const f of followers) {
      const aw = first(leader.sockets, lr[0], sent(f, valueBytes));
      if (aw && aw[0] < aeSent) aeSent = aw[0];
      const fr = aw && first(f.sockets, aw[0], got(leader, valueBytes));
      const fw = fr && first(f.sockets, fr[0], sent(leader));
      const la = fw && first(leader.sockets, fw[0], got(f));
      if (!la || la[0] > end) continue;
      acks.push(la[0]);
      if (!best || la[0] < best.la[0]) best = { fr, fw, la, f };
    }
    const ownSync = first(leader.fsyncs, lr[0], () => true);
    // When the leader's own copy was durable (never within the put: Infinity).
    const synced = flags["no-sync"]
      ? lr[0]
      : ownSync && ownSync[0] + ownSync[1] <= end
        ? ownSync[0] + ownSync[1]
        : Number.POSITIVE_INFINITY;
    // Committed once two of the three copies are durable: the leader's and the first answer, or
    // both answers if they come before the leader's own fdatasync returns.
    const committed = best ? [synced, ...acks].sort((a, b) => a - b)[1] : Number.POSITIVE_INFINITY;
    if (!(committed <= end)) {
      unattributed++;
      continue;
    }
    const lw = first(leader.sockets, committed, sent(client));
    const cr = lw && first(client.sockets, lw[0], got(leader));
    if (!cr || cr[0] > end) {
      unattributed++;
      continue;
    }
    const steps = [
      cw[0] - start,
      lr[0] - cw[0],
      aeSent - lr[0],
      best.fr[0] - aeSent,
      best.fw[0] - best.fr[0],
      best.la[0] - best.fw[0],
      committed - best.la[0],
      lw[0] - committed,
      cr[0] - lw[0],
      end - cr[0],
    ];
    const gc = [...members, client].some((p) => p.gcs.some(([s, d]) => s < end && s + d > start));
    const followerSync = first(best.f.fsyncs, best.fr[0], () => true);
    rows.push({
      total: end - start,
      steps,
      gc,
      leaderFsync: ownSync?.[1],
      followerFsync: followerSync && followerSync[0] < best.fw[0] ? followerSync[1] : undefined,
    });
  }
  const latencies = measured.map(([s, e]) => e - s);
  const slow = rows.filter((r) => r.total > slowMs);
  const largest = Object.fromEntries(STEPS.map((name) => [name, 0]));
  for (const r of slow) largest[STEPS[r.steps.indexOf(Math.max(...r.steps))]]++;
  const slowest = [...rows]
    .sort((a, b) => b.total - a.total)
    .slice(0, Math.max(1, Math.ceil(rows.length / 100)));
  return {
    puts: measured.length,
    valueBytes,
    sync: !flags["no-sync"],
    latency: percentiles(latencies),
    attributed: rows.length,
    unattributed,
    /** The mean latency of the puts cut into steps: the steps' means add up to it. */
    attributedMean: mean(rows.map((r) => r.total)),
    steps: STEPS.map((name, k) => ({
      name,
      p50: percentiles(rows.map((r) => r.steps[k])).p50,
      mean: mean(rows.map((r) => r.steps[k])),
      slowestMean: mean(slowest.map((r) => r.steps[k])),
    })),
    slowest: slowest.length,
    fdatasync: {
      leader: percentiles(rows.map((r) => r.leaderFsync).filter((x) => x !== undefined)),
      follower: percentiles(rows.map((r) => r.followerFsync).filter((x) => x !== undefined)),
    },
    slow: {
      overMs: slowMs,
      puts: slow.length,
      duringGc: slow.filter((r) => r.gc).length,
      largestStep: largest,
    },
  };
}

function print(report) {
  const ms = (x) => (x === undefined || Number.isNaN(x) ? "-" : x.toFixed(3));
  const l = report.latency;
  console.log(
    `${report.puts} puts of ${report.valueBytes} bytes, one at a time${report.sync ? "" : ", members without fsync"}: ` +
      `p50 ${ms(l.p50)} p90 ${ms(l.p90)} p99 ${ms(l.p99)} p99.9 ${ms(l.p999)} max ${ms(l.max)} ms`,
  );
  console.log(
    `${report.attributed} cut into steps (${report.unattributed} could not be: a retry or a missed event)\n`,
  );
  console.log(
    `${"step (ms)".padEnd(42)}${"p50".padStart(8)}${"mean".padStart(8)}${`slowest ${report.slowest}`.padStart(14)}`,
  );
  for (const s of report.steps) {
    console.log(
      `${s.name.padEnd(42)}${ms(s.p50).padStart(8)}${ms(s.mean).padStart(8)}${ms(s.slowestMean).padStart(14)}`,
    );
  }
  const f = report.fdatasync;
  if (report.sync) {
    console.log(
      `\nfdatasync: leader p50 ${ms(f.leader.p50)} p99 ${ms(f.leader.p99)}; the answering follower's p50 ${ms(f.follower.p50)} p99 ${ms(f.follower.p99)} ms`,
    );
  }
  const s = report.slow;
  console.log(
    `\nputs over ${s.overMs} ms: ${s.puts}; during a garbage collection in some process: ${s.duringGc}; their largest step:`,
  );
  for (const [name, count] of Object.entries(s.largestStep))
    if (count > 0) console.log(`  ${String(count).padStart(5)}  ${name}`);
}

function mean(values) {
  return values.length ? values.reduce((a, b) => a + b, 0) / values.length : Number.NaN;
}
