import { test } from "uvu";
import * as assert from "uvu/assert";
import { Network, randomName, SeededRandom, Simulation, seedFromEnv, withSeed } from "../src/index.js";
import { junkServer } from "./junk-server.js";

/** A busy unreliable run: many concurrent calls through drops, delays, reordering and a crash. */
async function tracedRun(seed: number): Promise<string[]> {
  const sim = new Simulation({ seed });
  const trace: string[] = [];
  const net = new Network({
    clock: sim,
    random: sim.random,
    onEvent: (e) =>
      trace.push(`${e.time} ${e.kind} ${String(e.end)}->${String(e.server)} ${e.method} ${e.bytes}`),
  });
  await sim.run(async () => {
    net.addServer("s", junkServer(sim).server);
    net.setReliable(false);
    net.setLongReordering(true);
    const clients = Array.from({ length: 10 }, async (_, c) => {
      const end = net.makeEnd(randomName(sim.random));
      net.connect(end.name, "s");
      net.enable(end.name, true);
      for (let i = 0; i < 10; i++) {
        const r = await end.call("JunkServer.Handler2", c * 100 + i);
        trace.push(`${sim.now()} client ${c} call ${i} ${r.ok ? "ok" : "failed"}`);
      }
    });
    await sim.sleep(500);
    net.deleteServer("s");
    await sim.sleep(300);
    net.addServer("s", junkServer(sim).server);
    await Promise.all(clients);
  });
  return trace;
}

test("the same seed replays the same run, event for event", async () => {
  const a = await tracedRun(1234);
  const b = await tracedRun(1234);
  assert.ok(a.length > 150, `trace too short to mean anything: ${a.length}`);
  assert.equal(a, b);
});

test("different seeds give different runs", async () => {
  const runs = await Promise.all([1, 2, 3].map((seed) => tracedRun(seed)));
  const distinct = new Set(runs.map((r) => r.join("\n")));
  assert.is(distinct.size, 3);
});

test("SeededRandom: same seed same sequence; int(n) stays in range and covers it", () => {
  const a = new SeededRandom(99);
  const b = new SeededRandom(99);
  const seqA = Array.from({ length: 1000 }, () => a.int(10));
  const seqB = Array.from({ length: 1000 }, () => b.int(10));
  assert.equal(seqA, seqB);
  const counts = new Array(10).fill(0);
  for (const v of seqA) counts[v]++;
  assert.ok(
    counts.every((c) => c > 60 && c < 140),
    `skewed: ${counts}`,
  );
  assert.not.equal(
    seqA,
    Array.from({ length: 1000 }, () => new SeededRandom(100).int(10)),
  );
  assert.throws(() => a.int(0), RangeError);
  assert.throws(() => a.int(1.5), RangeError);
  const f = a.float();
  assert.ok(f >= 0 && f < 1);
});

test("randomName draws from the seeded source: 20 base64url characters, reproducible", () => {
  const name = randomName(new SeededRandom(5));
  assert.match(name, /^[A-Za-z0-9_-]{20}$/);
  assert.is(randomName(new SeededRandom(5)), name);
  assert.is.not(randomName(new SeededRandom(6)), name);
});

test("seedFromEnv reads RAFTKIT_SEED, rejects junk, and otherwise draws a fresh seed", () => {
  assert.is(seedFromEnv({ RAFTKIT_SEED: "42" }), 42);
  assert.throws(() => seedFromEnv({ RAFTKIT_SEED: "forty-two" }), /RAFTKIT_SEED must be an integer/);
  const fresh = new Set(Array.from({ length: 5 }, () => seedFromEnv({})));
  assert.ok(fresh.size > 1);
});

test("withSeed names the seed in a failure so it can be replayed", async () => {
  const saved = process.env.RAFTKIT_SEED;
  const savedError = console.error;
  const printed: string[] = [];
  process.env.RAFTKIT_SEED = "777";
  console.error = (text: string) => printed.push(text);
  try {
    await withSeed(async (seed) => {
      assert.is(seed, 777);
      throw new Error("broken");
    });
    assert.unreachable();
  } catch (error) {
    assert.match((error as Error).message, /broken\nseed=777 \(replay: RAFTKIT_SEED=777\)/);
  } finally {
    console.error = savedError;
    if (saved === undefined) delete process.env.RAFTKIT_SEED;
    else process.env.RAFTKIT_SEED = saved;
  }
  assert.equal(printed, ["seed=777 (replay: RAFTKIT_SEED=777)"]);
});

test("an error thrown by a timer callback fails the run", async () => {
  const sim = new Simulation({ seed: 1 });
  try {
    await sim.run(async () => {
      sim.setTimer(5, () => {
        throw new Error("timer blew up");
      });
      await sim.sleep(10);
    });
    assert.unreachable();
  } catch (error) {
    assert.match((error as Error).message, /timer blew up/);
  }
});

test.run();
