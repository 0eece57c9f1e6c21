import fc from "fast-check";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { LinearizedSet } from "../src/search/linearized-set.js";

function canonical(set: LinearizedSet): { low: number; words: number[]; hashA: number; hashB: number } {
  const words = Array.from(set.bits.subarray(set.firstWord, set.firstWord + set.windowWords));
  return { low: set.low, words, hashA: set.hashA, hashB: set.hashB };
}

test("low, high and the canonical window track the members through any adds and removes", () => {
  fc.assert(
    fc.property(fc.integer({ min: 1, max: 130 }), fc.array(fc.nat(), { maxLength: 300 }), (size, picks) => {
      const set = new LinearizedSet(size);
      const members = new Set<number>();
      for (const pick of picks) {
        const id = pick % size;
        if (members.has(id)) {
          set.remove(id);
          members.delete(id);
        } else {
          set.add(id);
          members.add(id);
        }
        let low = 0;
        while (members.has(low)) low++;
        assert.is(set.low, low);
        assert.is(set.high, members.size === 0 ? -1 : Math.max(...members));
      }
      // The same members added in sorted order give the same canonical form and hashes.
      const fresh = new LinearizedSet(size);
      for (const id of [...members].sort((a, b) => a - b)) fresh.add(id);
      assert.equal(canonical(set), canonical(fresh));
    }),
    { numRuns: 500 },
  );
});

test("a full set has an empty window", () => {
  const set = new LinearizedSet(64);
  for (let i = 63; i >= 0; i--) set.add(i);
  assert.is(set.low, 64);
  assert.is(set.windowWords, 0);
});

test.run();
