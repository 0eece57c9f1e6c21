// What one durable put costs each process, counted rather than timed, so the figures hold on a
// loaded machine: V8 heap bytes allocated, garbage collections and their pause per 1,000 puts, and
// with --strace the system calls (epoll_wait is one event-loop turn of the main thread).
//
//   node apps/bench/scripts/put-costs.mjs [--puts 3000] [--warmup 1000] [--value-bytes 100] [--clients 1] [--strace]
//     [--heap-profile [--top 20]]   the members' allocations during the puts, by function
//     [--json <file>]               the figures as JSON: { puts, clients, warmup, valueBytes, processes, syscallsPerPut? }
//
// Starts three `raftkit-kv serve` members on 127.0.0.1 (fsync on, as the kvraft-tcp-3 scenario),
// each with cost-tap.mjs preloaded; the clients in this process (one by default, each putting
// one value at a time over one shared transport, as the bench's) put --warmup values, then the
// counters of every process are read, then --puts more, then read again: the table is the
// difference per put, for the leader, each follower and the client.
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { Clerk } from "@raftkit/kvraft";
import { endsOf } from "@raftkit/service";
import { costCounters } from "./cost-tap.mjs";
import { startLocalCluster } from "./local-cluster.mjs";

const { values: flags } = parseArgs({
  options: {
    puts: { type: "string", default: "3000" },
    warmup: { type: "string", default: "1000" },
    clients: { type: "string", default: "1" },
    "value-bytes": { type: "string", default: "100" },
    strace: { type: "boolean", default: false },
    "heap-profile": { type: "boolean", default: false },
    top: { type: "string", default: "20" },
    json: { type: "string" },
  },
});
const puts = Number(flags.puts);
const warmup = Number(flags.warmup);
const clients = Number(flags.clients);
const value = "v".repeat(Number(flags["value-bytes"]));
const here = dirname(fileURLToPath(import.meta.url));
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

const dir = mkdtempSync(join(tmpdir(), "raftkit-put-costs-"));
const { members, tcp, close } = await startLocalCluster({
  dir,
  env: {
    COST_TAP_DIR: dir,
    NODE_OPTIONS: `--import ${join(here, "cost-tap.mjs")}`,
    COST_TAP_HEAP_PROFILE: flags["heap-profile"] ? "1" : "0",
  },
});

/** Every member's counters (cost-tap answers SIGUSR2 by appending a line) and the client's own. */
async function readCounters() {
  const lines = (m) =>
    existsSync(join(dir, `${m.pid}.jsonl`))
      ? readFileSync(join(dir, `${m.pid}.jsonl`), "utf8")
          .trim()
          .split("\n")
      : [];
  const before = members.map((m) => lines(m).length);
  for (const m of members) m.kill("SIGUSR2");
  const client = costCounters();
  for (let i = 0; members.some((m, k) => lines(m).length === before[k]); i++) {
    if (i > 500) throw new Error("a member did not write its counters within 5 s");
    await sleep(10);
  }
  return [...members.map((m) => JSON.parse(lines(m).at(-1))), client];
}

/** System call counts of each member, from `strace -c -f` attached for the measured puts. */
function startStrace() {
  if (!flags.strace) return undefined;
  const tracers = members.map((m) =>
    spawn("strace", ["-c", "-f", "-o", join(dir, `strace-${m.pid}.txt`), "-p", `${m.pid}`], {
      stdio: "ignore",
    }),
  );
  return async () => {
    const exits = tracers.map((t) => new Promise((resolve) => t.once("exit", resolve)));
    for (const t of tracers) t.kill("SIGINT");
    await Promise.all(exits);
    return members.map((m) => parseStrace(readFileSync(join(dir, `strace-${m.pid}.txt`), "utf8")));
  };
}

function parseStrace(text) {
  const calls = {};
  for (const line of text.split("\n")) {
    const f = line.trim().split(/\s+/);
    // % time, seconds, usecs/call, calls, [errors,] syscall
    if (f.length >= 5 && /^\d+$/.test(f[3]) && f.at(-1) !== "total") calls[f.at(-1)] = Number(f[3]);
  }
  return calls;
}

/** The functions that allocated the most during the measured puts, from a member's heap profile. */
function heapSummary(role, pid) {
  const file = join(dir, `${pid}.heapprofile`);
  if (!existsSync(file)) return;
  const bySelf = new Map();
  const name = ({ functionName, url, lineNumber }) => {
    const file =
      url
        .match(/packages\/([^/]+)\/dist\/(.*)$/)
        ?.slice(1)
        .join("/") ?? basename(url);
    return `${functionName || "(anonymous)"} ${url ? `${file}:${lineNumber + 1}` : ""}`.trim();
  };
  // A built-in (Map's set, an array's push) is named with the function that called it.
  const walk = (node, caller) => {
    const own = name(node.callFrame);
    const key = node.callFrame.url || !caller ? own : `${own} ← ${caller}`;
    bySelf.set(key, (bySelf.get(key) ?? 0) + node.selfSize);
    for (const child of node.children) walk(child, node.callFrame.url ? own : caller);
  };
  walk(JSON.parse(readFileSync(file, "utf8")).head);
  const total = [...bySelf.values()].reduce((a, b) => a + b, 0);
  console.log(`\n${role}: ${(total / puts / 1024).toFixed(1)} KB sampled per put, by allocating function`);
  const rows = [...bySelf.entries()].sort((a, b) => b[1] - a[1]).slice(0, Number(flags.top));
  for (const [key, bytes] of rows) {
    console.log(
      `${((100 * bytes) / total).toFixed(1).padStart(5)}% ${(bytes / puts).toFixed(0).padStart(7)} B/put  ${key}`,
    );
  }
}

try {
  const clerks = Array.from({ length: clients }, () => new Clerk(endsOf(tcp, [0, 1, 2])));
  /** `count` puts in all, spread over the clients, each client one at a time. */
  const putAll = (count) =>
    Promise.all(
      clerks.map(async (clerk, c) => {
        for (let i = c; i < count; i += clients) await clerk.put(`k${i % 1000}`, value);
      }),
    );
  await putAll(warmup);
  const stopStrace = startStrace();
  if (stopStrace) await sleep(1000); // let strace attach
  const before = await readCounters();
  await putAll(puts);
  const after = await readCounters();
  const syscalls = await stopStrace?.();
  // The member the client last found leading: a status call may time out on a loaded machine.
  const leader = clerks[0].preferredServer;
  const roles = [...members.map((_, id) => (id === leader ? "leader" : `follower ${id}`)), "client"];
  const rows = roles.map((role, k) => {
    const d = (key) => after[k][key] - before[k][key];
    return {
      process: role,
      "KB alloc/put": (d("allocatedBytes") / puts / 1024).toFixed(2),
      "scavenges/1k": ((d("scavenges") * 1000) / puts).toFixed(2),
      "mark-compacts/1k": (((d("markCompacts") + d("incrementalMarkings")) * 1000) / puts).toFixed(2),
      "GC pause ms/1k": ((d("gcPauseMs") * 1000) / puts).toFixed(2),
    };
  });
  console.log(`${puts} puts of ${value.length} bytes, ${clients} client(s), after ${warmup} warm-up puts`);
  console.table(rows);
  if (syscalls) {
    const names = [...new Set(syscalls.flatMap((s) => Object.keys(s)))].sort();
    const table = {};
    for (const name of names) {
      table[name] = Object.fromEntries(
        syscalls.map((s, id) => [roles[id], ((s[name] ?? 0) / puts).toFixed(2)]),
      );
    }
    console.log(
      "system calls per put (strace -c -f, all threads; it slows the members, so batching may differ)",
    );
    console.table(table);
  }
  if (flags.json) {
    const processes = roles.map((role, k) => {
      const d = (key) => (after[k][key] - before[k][key]) / puts;
      return {
        process: role,
        allocatedBytesPerPut: d("allocatedBytes"),
        scavengesPer1k: d("scavenges") * 1000,
        markCompactsPer1k: (d("markCompacts") + d("incrementalMarkings")) * 1000,
        gcPauseMsPer1k: d("gcPauseMs") * 1000,
      };
    });
    const perPut = syscalls?.map((s, id) => ({
      process: roles[id],
      ...Object.fromEntries(Object.entries(s).map(([name, n]) => [name, n / puts])),
    }));
    const summary = { puts, clients, warmup, valueBytes: value.length, processes, syscallsPerPut: perPut };
    writeFileSync(flags.json, `${JSON.stringify(summary, null, 2)}\n`);
  }
  if (flags["heap-profile"]) {
    // The members write their profiles after their counters.
    const written = () => members.every((m) => existsSync(join(dir, `${m.pid}.heapprofile`)));
    for (let i = 0; i < 100 && !written(); i++) await sleep(100);
    for (const [id, m] of members.entries()) heapSummary(roles[id], m.pid);
  }
} finally {
  await close();
  rmSync(dir, { recursive: true, force: true, maxRetries: 5 });
}
