import { connect, type Socket } from "node:net";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import type { KvRaftEntry } from "@raftkit/kvraft";
import { Clerk, KvRaftServer } from "@raftkit/kvraft";
import { realClock, realRandom, SeededRandom, withSeed } from "@raftkit/labrpc";
import { MemoryPersister } from "@raftkit/raft";
import { endsOf, splitTransport } from "@raftkit/service";
import { TcpTransport } from "@raftkit/transport-tcp";
import { freePorts } from "@raftkit/transport-tcp/testkit";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { hello, hostileFrame } from "./helpers/hostile-frames.js";

// Real sockets on 127.0.0.1 and the real clock: hostile frames against a live kvraft member (a
// raft node behind the transport) while a client keeps using the cluster through it and its peers.
// RAFTKIT_FUZZ_FRAMES sets how many (CI: 2000; `npm run fuzz` in this package: 100,000); the
// seed (RAFTKIT_SEED) fixes the frames, not their timing.

const FRAMES = Number(process.env.RAFTKIT_FUZZ_FRAMES ?? 2000);

// A full collection on demand, to measure what stays alive rather than what the GC has not yet freed.
setFlagsFromString("--expose-gc");
const collectGarbage = runInNewContext("gc") as () => void;
const TARGET = 1;

async function kvCluster(n: number) {
  const peers = (await freePorts(n)).map((p) => `127.0.0.1:${p}`);
  const logged = { lines: 0, sample: [] as string[] };
  const members: Array<{ tcp: TcpTransport; server: KvRaftServer }> = [];
  for (let id = 0; id < n; id++) {
    const tcp = new TcpTransport({
      cluster: "fuzz",
      self: id,
      peers,
      // Count what the member under attack logs; keep a few lines for the report.
      log: (level, message) => {
        if (id !== TARGET || level === "info") return;
        logged.lines++;
        if (logged.sample.length < 5) logged.sample.push(`${level}: ${message.slice(0, 200)}`);
      },
    });
    const shared = splitTransport(tcp);
    const server = new KvRaftServer({
      id,
      peerCount: n,
      transport: shared.raft,
      persister: new MemoryPersister<KvRaftEntry>(),
      clock: realClock,
      random: realRandom,
      // Snapshots keep the log short, so that what the heap keeps measures the fuzz, not the log.
      maxRaftState: 64 * 1024,
    });
    server.listen(shared.services);
    await tcp.start();
    members.push({ tcp, server });
  }
  const client = new TcpTransport({
    cluster: "fuzz",
    self: "legit",
    peers,
    callTimeoutMs: 1000,
    log: () => {},
  });
  const clerk = new Clerk(
    endsOf(
      client,
      peers.map((_, i) => i),
    ),
    { retryDelayMs: 20 },
  );
  const stop = async () => {
    for (const m of members) m.server.kill();
    await Promise.all([...members.map((m) => m.tcp.close()), client.close()]);
  };
  return { peers, members, clerk, logged, stop };
}

/** Counts the whole frames arriving on `socket` and lets a caller wait for the next one. */
function frameCounter(socket: Socket) {
  let buffered = Buffer.alloc(0);
  let waiter: (() => void) | undefined;
  const counter = {
    frames: 0,
    next: () => new Promise<void>((resolve) => (waiter = resolve)),
  };
  socket.on("data", (chunk: Buffer) => {
    buffered = Buffer.concat([buffered, chunk]);
    while (buffered.length >= 4 && buffered.length >= 4 + buffered.readUInt32BE(0)) {
      buffered = buffered.subarray(4 + buffered.readUInt32BE(0));
      counter.frames++;
      waiter?.();
    }
  });
  return counter;
}

/** `promise`, or nothing after `ms`; the timer does not outlive the wait. */
async function within(promise: Promise<unknown>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([promise, new Promise((resolve) => (timer = setTimeout(resolve, ms)))]);
  clearTimeout(timer);
}

interface Attack {
  written: number;
  answered: number;
}

/**
 * One hostile connection: maybe a hello, then up to `count` frames. Whole frames go one at a time,
 * each waiting for its answer (or the hang-up), so every one counted reached the member; raw
 * bytes, bad headers and cut frames go in a burst.
 */
async function attack(port: number, random: SeededRandom, count: number): Promise<Attack> {
  const socket = connect({ host: "127.0.0.1", port });
  socket.on("error", () => {});
  const replies = frameCounter(socket);
  let closed = false;
  const hangUp = new Promise<void>((resolve) =>
    socket.once("close", () => {
      closed = true;
      resolve();
    }),
  );
  const answerOrHangUp = () => within(Promise.race([replies.next(), hangUp]), 2000);
  await new Promise<void>((resolve) => socket.once("connect", resolve).once("close", resolve));
  const claim = ["0", "2", "legit", "x".repeat(1000)][random.int(4)]!;
  if (random.int(8) !== 0) {
    socket.write(hello("fuzz", claim, random.int(8) === 0 ? 7 : TARGET));
    await answerOrHangUp(); // welcome or refuse
  }
  const framed = random.int(10) < 7;
  // Past its first bad bytes a stream is out of step for good: a few unframed writes are plenty.
  if (!framed) count = Math.min(count, 1 + random.int(4));
  const result: Attack = { written: 0, answered: 0 };
  const before = replies.frames;
  while (result.written < count && !closed) {
    const ok = socket.write(hostileFrame(random, result.written, framed));
    result.written++;
    if (framed) await answerOrHangUp();
    else if (!ok) await Promise.race([new Promise((resolve) => socket.once("drain", resolve)), hangUp]);
  }
  socket.end();
  await within(hangUp, 2000);
  socket.destroy();
  result.answered = replies.frames - before;
  return result;
}

test(`fuzz: ${FRAMES} hostile frames against a live member; it keeps serving its peers and a client, memory stays bounded`, () =>
  withSeed(async (seed) => {
    const random = new SeededRandom(seed);
    const crashes: unknown[] = [];
    const onCrash = (error: unknown) => crashes.push(error);
    process.on("uncaughtException", onCrash);
    process.on("unhandledRejection", onCrash);
    const cluster = await kvCluster(3);
    const memory = { rss: 0, heap: 0, retained: [] as number[] };
    const sample = () => {
      const { rss, heapUsed } = process.memoryUsage();
      memory.rss = Math.max(memory.rss, rss);
      memory.heap = Math.max(memory.heap, heapUsed);
    };
    const sampler = setInterval(sample, 100);
    // What survives a full collection, every 10% of the frames: a leak shows as steady growth.
    const retain = () => {
      collectGarbage();
      memory.retained.push(process.memoryUsage().heapUsed);
    };
    retain();
    let checkpoint = FRAMES / 10;
    const port = Number(cluster.peers[TARGET]!.split(":")[1]);
    let sent = 0;
    let answered = 0;
    let connections = 0;
    let fuzzing = true;
    let legit: Promise<{ ops: number; failure: string | undefined }> | undefined;
    const started = performance.now();
    try {
      await cluster.clerk.put("legitimate-client-key", "");
      const commitBefore = cluster.members[TARGET]!.server.raft.commitIndex;
      // The client appends and reads back throughout; each read must hold every append so far.
      // The loop never throws: it stops at the first failure and the test body asserts on it (a
      // throw out here would be an unhandled rejection, not a failed test).
      legit = (async () => {
        let expected = "";
        let ops = 0;
        try {
          while (fuzzing) {
            const token = `[${ops}]`;
            await cluster.clerk.append("legitimate-client-key", token, {
              signal: AbortSignal.timeout(20_000),
            });
            expected += token;
            const read = await cluster.clerk.get("legitimate-client-key", {
              signal: AbortSignal.timeout(20_000),
            });
            if (read !== expected)
              return { ops, failure: `read ${JSON.stringify(read)}, expected ${JSON.stringify(expected)}` };
            ops++;
          }
          return { ops, failure: undefined };
        } catch (error) {
          return { ops, failure: `operation ${ops} failed: ${String(error)}` };
        }
      })();
      const workers = Array.from({ length: 8 }, async (_, w) => {
        const mine = random.fork();
        // Bounded: a member that stopped accepting connections must fail the test, not hang it.
        while (sent < FRAMES && performance.now() - started < 60_000 + FRAMES * 10) {
          const n = Math.min(1 + mine.int(60), FRAMES - sent);
          sent += n; // reserved before the await, so the workers stop at FRAMES together
          const done = await attack(port, mine, n);
          if (sent >= checkpoint) {
            checkpoint += FRAMES / 10;
            retain();
          }
          sent -= n - done.written;
          answered += done.answered;
          connections++;
          if (done.written === 0 && w === 0) await realClock.sleep(1);
        }
      });
      await Promise.all(workers);
      fuzzing = false;
      const { ops, failure } = await legit;
      assert.is(failure, undefined, "the legitimate client's appends and reads succeed throughout");
      sample();
      retain();
      const seconds = (performance.now() - started) / 1000;
      // The member under attack still replicates: its commit index covers the client's appends.
      const target = cluster.members[TARGET]!.server.raft;
      const deadline = performance.now() + 10_000;
      while (target.commitIndex < commitBefore + ops && performance.now() < deadline)
        await realClock.sleep(20);
      assert.ok(
        target.commitIndex >= commitBefore + ops,
        `member ${TARGET} commit ${target.commitIndex} < ${commitBefore + ops}`,
      );
      assert.ok(ops > 0, "the client completed operations during the fuzz");
      assert.is(crashes.length, 0, `crashes: ${crashes.map(String).join("; ")}`);
      assert.is(({} as Record<string, unknown>).polluted, undefined, "Object.prototype untouched");
      const mib = (n: number) => (n / 2 ** 20).toFixed(0);
      console.log(
        `fuzz seed=${seed}: ${sent} frames over ${connections} connections in ${seconds.toFixed(1)} s, ${answered} answered; ` +
          `crashes: ${crashes.length}; client ops during the fuzz: ${ops}; member ${TARGET} logged ${cluster.logged.lines} refusals/errors; ` +
          `peak RSS ${mib(memory.rss)} MiB, peak heap ${mib(memory.heap)} MiB, ` +
          `heap after GC every 10%: ${memory.retained.map(mib).join(" ")} MiB; first lines:\n  ${cluster.logged.sample.join("\n  ")}`,
      );
      assert.ok(memory.heap < 512 * 2 ** 20, `peak heap ${mib(memory.heap)} MiB`);
      // Bounded: what the cluster keeps after the fuzz is its log and the client's value, not the frames.
      const growth = memory.retained.at(-1)! - memory.retained[0]!;
      assert.ok(growth < 64 * 2 ** 20, `the heap kept ${mib(growth)} MiB more after the fuzz than before`);
      assert.ok(sent >= FRAMES, `only ${sent} of ${FRAMES} frames were written`);
    } finally {
      fuzzing = false;
      await legit;
      clearInterval(sampler);
      process.off("uncaughtException", onCrash);
      process.off("unhandledRejection", onCrash);
      await cluster.stop();
    }
  }));

test.run();
