import { Simulation, simTest } from "@raftkit/labrpc";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { CorruptStateError, MemoryPersister } from "../src/index.js";
import { FaultyStorage, StorageFaultError, storageConformance } from "../src/testkit/index.js";

// With no fault set, the wrapper is the storage it wraps: the conformance suite holds.
for (const c of storageConformance(() => {
  const sim = new Simulation({ seed: 1 });
  const env = { clock: sim, random: sim.random };
  return {
    open: async () => new FaultyStorage(new MemoryPersister<string>(), env),
    reopen: async (s: FaultyStorage<MemoryPersister<string>>) => new FaultyStorage(s.inner.copy(), env),
    dispose: () => {},
  };
})) {
  test(`faulty storage without faults: ${c.name}`, c.run);
}

test(
  "faulty storage: a failed write rejects with its errno, and so does every later one; nothing of it is stored",
  simTest(async (sim) => {
    const inner = new MemoryPersister<string>();
    const storage = new FaultyStorage(inner, { clock: sim, random: sim.random });
    await storage.appendEntries(1, [{ term: 1, command: "a" }]);
    storage.failWrites("ENOSPC");
    for (const write of [
      () => storage.appendEntries(2, [{ term: 1, command: "b" }]),
      () => storage.saveHardState({ term: 2, votedFor: 0 }),
    ]) {
      try {
        await write();
        assert.unreachable("the write must fail");
      } catch (error) {
        assert.instance(error, StorageFaultError);
        assert.is((error as StorageFaultError).code, "ENOSPC");
      }
    }
    assert.equal(inner.load()?.entries, [{ term: 1, command: "a" }]);
    assert.equal(inner.load()?.hardState, { term: 0, votedFor: null });
    assert.is(storage.stats().failed, 2);
  }),
);

test(
  "faulty storage: stalled writes become durable in order, and a crash loses exactly the ones still held",
  simTest(async (sim) => {
    const inner = new MemoryPersister<string>();
    const storage = new FaultyStorage(inner, { clock: sim, random: sim.random });
    storage.stallWrites(100);
    const acked: number[] = [];
    for (let i = 1; i <= 20; i++) {
      void storage.appendEntries(i, [{ term: 1, command: `c${i}` }]).then(() => acked.push(i));
      await sim.sleep(10);
    }
    const lost = storage.crash();
    await sim.sleep(1000);
    assert.ok(lost > 0 && lost < 20, `lost ${lost} of 20`);
    assert.equal(
      acked,
      Array.from({ length: 20 - lost }, (_, i) => i + 1),
      "acknowledged in order",
    );
    assert.is(inner.load()?.entries.length, 20 - lost, "exactly the acknowledged writes are stored");
    storage.stallFor(0);
  }),
);

test(
  "faulty storage: stallFor holds every write until the time is up",
  simTest(async (sim) => {
    const storage = new FaultyStorage(new MemoryPersister<string>(), { clock: sim, random: sim.random });
    storage.stallFor(500);
    const start = sim.now();
    await storage.saveHardState({ term: 1, votedFor: 2 });
    assert.is(sim.now() - start, 500);
  }),
);

test(
  "faulty storage: a flipped bit is a CorruptStateError at load, or (silent) one changed snapshot bit",
  simTest(async (sim) => {
    const inner = new MemoryPersister<string>();
    const storage = new FaultyStorage(inner, { clock: sim, random: sim.random });
    await storage.appendEntries(1, [{ term: 1, command: "a" }]);
    await storage.saveSnapshot({ index: 1, term: 1 }, new Uint8Array(16));
    storage.flipBit();
    assert.throws(
      () => storage.load(),
      (e: unknown) => e instanceof CorruptStateError,
    );
    storage.flipBit("silent");
    const data = storage.load()?.snapshot?.data ?? new Uint8Array();
    const ones = [...data].reduce((n, byte) => n + byte.toString(2).replaceAll("0", "").length, 0);
    assert.is(ones, 1);
    assert.equal(inner.load()?.snapshot?.data, new Uint8Array(16), "the stored copy is untouched");
  }),
);

test.run();
