import { SeededRandom, withSeed } from "@raftkit/labrpc";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { MemoryPersister } from "../src/index.js";

// raftStateSize() is computed from per-entry sizes, without encoding the log; it must always be
// exactly what encoding gives.
test("MemoryPersister.raftStateSize() equals the encoded state's length through random writes", () =>
  withSeed(async (seed) => {
    const random = new SeededRandom(seed);
    let p = new MemoryPersister<unknown>();
    let term = 1;
    p.saveHardState({ term, votedFor: null }); // raft never stores an entry from a later term than its own
    let base = 0;
    let last = 0;
    const termAt: number[] = []; // termAt[i] is the term of entry i
    const commands = [
      () => random.int(30),
      () => random.int(100_000),
      () => "x".repeat(random.int(300)),
      () => ({ k: "a", v: [1, 2] }),
    ];
    for (let step = 0; step < 2000; step++) {
      const roll = random.int(100);
      if (roll < 10) {
        term += random.int(3);
        p.saveHardState({ term, votedFor: random.int(2) === 0 ? null : random.int(7) });
      } else if (roll < 80) {
        const from = base + 1 + random.int(last - base + 1);
        const n = random.int(40);
        p.appendEntries(
          from,
          Array.from({ length: n }, () => ({ term, command: commands[random.int(commands.length)]!() })),
        );
        last = from - 1 + n;
        for (let i = from; i <= last; i++) termAt[i] = term;
      } else if (roll < 90 && last > base) {
        const index = base + 1 + random.int(last - base);
        // Mostly the log's own entry there (the suffix survives); sometimes another term (it does not).
        const agrees = random.int(4) > 0;
        if (!agrees) {
          term += 1;
          p.saveHardState({ term, votedFor: null });
          last = index;
        }
        p.saveSnapshot({ index, term: agrees ? termAt[index]! : term }, new Uint8Array([1]));
        base = index;
      } else {
        p = p.copy();
      }
      assert.is(p.raftStateSize(), p.readRaftState().length, `step ${step}`);
    }
  }));

test.run();
