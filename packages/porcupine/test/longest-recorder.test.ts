import fc from "fast-check";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { LongestRecorder } from "../src/search/longest.js";

/** Go porcupine's rule, done the slow way: at each backtrack, every operation on the stack whose
 * recorded linearization is shorter than the stack gets the whole stack. */
function naive(operations: number, script: number[]): (number[] | undefined)[] {
  const best: (number[] | undefined)[] = new Array(operations).fill(undefined);
  const stack: number[] = [];
  for (const action of script) {
    if (action >= 0 && !stack.includes(action)) stack.push(action);
    else if (action < 0 && stack.length > 0) {
      for (const op of stack) if ((best[op]?.length ?? 0) < stack.length) best[op] = [...stack];
      stack.pop();
    }
  }
  return best;
}

function recorded(operations: number, script: number[]): (number[] | undefined)[] {
  const recorder = new LongestRecorder(operations);
  const stack = new Int32Array(operations);
  let depth = 0;
  const onStack = new Set<number>();
  for (const action of script) {
    if (action >= 0 && !onStack.has(action)) {
      stack[depth] = action;
      recorder.pushed(depth, action);
      depth++;
      onStack.add(action);
    } else if (action < 0 && depth > 0) {
      recorder.backtracking(stack, depth);
      depth--;
      onStack.delete(stack[depth]!);
    }
  }
  const { linearizations, longest } = recorder.result();
  return longest.map((index) => (index < 0 ? undefined : linearizations[index]));
}

test("the O(1)-fast-path recorder records the same longest linearizations as the naive rule", () => {
  const operations = 8;
  fc.assert(
    fc.property(fc.array(fc.integer({ min: -3, max: operations - 1 }), { maxLength: 200 }), (script) => {
      assert.equal(recorded(operations, script), naive(operations, script));
    }),
    { numRuns: 2000 },
  );
});

test("a completed search gives every operation the full linearization", () => {
  const recorder = new LongestRecorder(3);
  const stack = Int32Array.from([2, 0, 1]);
  recorder.pushed(0, 2);
  recorder.pushed(1, 0);
  recorder.completed(stack, 3);
  assert.equal(recorder.result(), { linearizations: [[2, 0, 1]], longest: [0, 0, 0] });
});

test.run();
