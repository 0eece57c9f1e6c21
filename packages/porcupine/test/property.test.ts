import fc from "fast-check";
import { test } from "uvu";
import * as assert from "uvu/assert";
import {
  checkEvents,
  checkOperations,
  checkOperationsVerbose,
  type Event,
  type KvInput,
  type KvOutput,
  kvModel,
  type Operation,
  type RegisterInput,
  type RegisterOutput,
  registerModel,
} from "../src/index.js";
import { bruteForceLinearizable, isLinearization } from "./helpers/brute-force.js";
import { kvNoPartitionModel } from "./helpers/kv.js";

type KvOp = Operation<KvInput, KvOutput>;

interface KvCommand {
  op: "get" | "put" | "append" | "append-returning";
  key: string;
  value: string;
}

const kvCommand: fc.Arbitrary<KvCommand> = fc.record({
  op: fc.constantFrom("get", "put", "append", "append-returning"),
  key: fc.constantFrom("a", "b", "c"),
  value: fc.stringMatching(/^[xyz]{1,3}$/),
});

/** Runs commands one at a time against a map, recording what each would have returned. */
function runSequentially(commands: KvCommand[]): { input: KvInput; output: KvOutput }[] {
  const store = new Map<string, string>();
  return commands.map(({ op, key, value }) => {
    const current = store.get(key) ?? "";
    if (op === "get") return { input: { op, key }, output: { value: current } };
    store.set(key, op === "put" ? value : current + value);
    if (op === "append-returning") return { input: { op: "append", key, value }, output: { value: current } };
    return { input: { op, key, value }, output: {} };
  });
}

/**
 * Times for operation i around a linearization point 10·i: with no jitter the intervals are disjoint;
 * with jitter they overlap, but the points still give a legal linearization.
 */
const jitters = (n: number, max: number) =>
  fc.array(fc.tuple(fc.integer({ min: 0, max }), fc.integer({ min: 0, max })), {
    minLength: n,
    maxLength: n,
  });

const sequentialHistory = fc
  .tuple(fc.array(kvCommand, { minLength: 1, maxLength: 40 }), fc.constantFrom(0, 4, 25))
  .chain(([commands, maxJitter]) =>
    jitters(commands.length, maxJitter).map((jitter) =>
      runSequentially(commands).map(
        ({ input, output }, i): KvOp => ({
          clientId: i % 5,
          input,
          output,
          call: 10 * i - jitter[i]![0],
          return: 10 * i + jitter[i]![1],
        }),
      ),
    ),
  );

test("property: a history produced by running operations one at a time is ok (kv)", () => {
  fc.assert(
    fc.property(sequentialHistory, (history) => {
      const { result, info } = checkOperationsVerbose(kvModel, history);
      assert.is(result, "ok");
      for (const partition of info.partitions) {
        assert.ok(isLinearization(kvModel, partition.operations, partition.linearizations[0]!));
      }
    }),
    { numRuns: 300 },
  );
});

test("property: the same history with one read changed to a never-written value is illegal (kv)", () => {
  const withRead = sequentialHistory.filter((history) => history.some((op) => op.input.op === "get"));
  fc.assert(
    fc.property(withRead, fc.nat(), (history, pick) => {
      const reads = history.flatMap((op, i) => (op.input.op === "get" ? [i] : []));
      const target = reads[pick % reads.length]!;
      const mutated = history.map((op, i) =>
        i === target ? { ...op, output: { value: "never-written" } } : op,
      );
      assert.is(checkOperations(kvModel, mutated), "illegal");
    }),
    { numRuns: 300 },
  );
});

const registerCommand = fc.oneof(
  fc.constant<RegisterInput>({ op: "read" }),
  fc.integer({ min: 0, max: 2 }).map((value): RegisterInput => ({ op: "write", value })),
  fc
    .tuple(fc.integer({ min: 0, max: 4 }), fc.integer({ min: 0, max: 4 }))
    .map(([from, to]): RegisterInput => ({ op: "cas", from, to })),
);

function runRegister(
  inputs: RegisterInput[],
  jitter: [number, number][],
): Operation<RegisterInput, RegisterOutput>[] {
  let value: number | string | null = null;
  return inputs.map((input, i) => {
    let output: RegisterOutput;
    if (input.op === "read") output = { value };
    else if (input.op === "write") {
      value = input.value;
      output = {};
    } else {
      output = { ok: value === input.from };
      if (value === input.from) value = input.to;
    }
    return { input, output, call: 10 * i - jitter[i]![0], return: 10 * i + jitter[i]![1] };
  });
}

test("property: sequential register histories are ok, and a read of a never-written value is illegal", () => {
  const history = fc
    .array(registerCommand, { minLength: 1, maxLength: 40 })
    .chain((inputs) => jitters(inputs.length, 25).map((jitter) => runRegister(inputs, jitter)));
  fc.assert(
    fc.property(history, fc.nat(), (ops, pick) => {
      assert.is(checkOperations(registerModel, ops), "ok");
      const reads = ops.flatMap((op, i) => (op.input.op === "read" ? [i] : []));
      if (reads.length === 0) return;
      const target = reads[pick % reads.length]!;
      const mutated = ops.map((op, i) => (i === target ? { ...op, output: { value: 99 } } : op));
      assert.is(checkOperations(registerModel, mutated), "illegal");
    }),
    { numRuns: 300 },
  );
});

test("property: on small random histories the checker agrees with brute force", () => {
  const randomOp = fc
    .record({
      op: fc.constantFrom("get", "put", "append") as fc.Arbitrary<"get" | "put" | "append">,
      value: fc.constantFrom("x", "y"),
      read: fc.constantFrom("", "x", "y", "xy", "yx", "xx"),
      call: fc.integer({ min: 0, max: 12 }),
      length: fc.integer({ min: 0, max: 8 }),
    })
    .map(
      ({ op, value, read, call, length }): KvOp => ({
        input: op === "get" ? { op, key: "k" } : { op, key: "k", value },
        output: op === "get" ? { value: read } : {},
        call,
        return: call + length,
      }),
    );
  let illegal = 0;
  fc.assert(
    fc.property(fc.array(randomOp, { minLength: 1, maxLength: 7 }), (history) => {
      const expected = bruteForceLinearizable(kvModel, history) ? "ok" : "illegal";
      if (expected === "illegal") illegal++;
      assert.is(checkOperations(kvModel, history), expected);
    }),
    { numRuns: 1000 },
  );
  assert.ok(illegal > 100 && illegal < 900, `the generator should give both answers (illegal: ${illegal})`);
});

test("property: two-key histories: partitioned kvModel agrees with a brute force over the whole store", () => {
  const randomOp = fc
    .record({
      key: fc.constantFrom("a", "b"),
      op: fc.constantFrom("get", "put", "append") as fc.Arbitrary<"get" | "put" | "append">,
      value: fc.constantFrom("x", "y"),
      read: fc.constantFrom("", "x", "y", "xy"),
      call: fc.integer({ min: 0, max: 10 }),
      length: fc.integer({ min: 0, max: 6 }),
    })
    .map(
      ({ key, op, value, read, call, length }): KvOp => ({
        input: op === "get" ? { op, key } : { op, key, value },
        output: op === "get" ? { value: read } : {},
        call,
        return: call + length,
      }),
    );
  fc.assert(
    fc.property(fc.array(randomOp, { minLength: 1, maxLength: 7 }), (history) => {
      const expected = bruteForceLinearizable(kvNoPartitionModel, history) ? "ok" : "illegal";
      assert.is(checkOperations(kvModel, history), expected);
      assert.is(checkOperationsVerbose(kvModel, history).result, expected);
      assert.is(checkOperations(kvNoPartitionModel, history), expected);
    }),
    { numRuns: 600 },
  );
});

test("property: the event form of a history gets the same answer as the operation form", () => {
  const randomOp = fc
    .record({
      key: fc.constantFrom("a", "b"),
      op: fc.constantFrom("get", "put", "append") as fc.Arbitrary<"get" | "put" | "append">,
      value: fc.constantFrom("x", "y"),
      read: fc.constantFrom("", "x", "y", "xy"),
      call: fc.integer({ min: 0, max: 10 }),
      length: fc.integer({ min: 0, max: 6 }),
    })
    .map(
      ({ key, op, value, read, call, length }): KvOp => ({
        clientId: call % 3,
        input: op === "get" ? { op, key } : { op, key, value },
        output: op === "get" ? { value: read } : {},
        call,
        return: call + length,
      }),
    );
  fc.assert(
    fc.property(fc.array(randomOp, { minLength: 1, maxLength: 10 }), (history) => {
      // Events in time order, calls before returns on ties (the checker's own tie rule).
      const points = history.flatMap((op, id) => [
        { time: op.call, kind: 0, id },
        { time: op.return, kind: 1, id },
      ]);
      points.sort((a, b) => a.time - b.time || a.kind - b.kind || a.id - b.id);
      const events: Event<KvInput, KvOutput>[] = points.map(({ kind, id }) =>
        kind === 0
          ? { kind: "call", value: history[id]!.input, id: 100 + id }
          : { kind: "return", value: history[id]!.output, id: 100 + id },
      );
      assert.is(checkEvents(kvModel, events), checkOperations(kvModel, history));
    }),
    { numRuns: 500 },
  );
});

test("property: register histories with indeterminate outcomes agree with brute force", () => {
  const randomOp = fc
    .record({
      input: registerCommand,
      unknown: fc.boolean(),
      read: fc.constantFrom<number | null>(null, 0, 1, 2),
      ok: fc.boolean(),
      call: fc.integer({ min: 0, max: 10 }),
      length: fc.integer({ min: 0, max: 6 }),
    })
    .map(({ input, unknown, read, ok, call, length }): Operation<RegisterInput, RegisterOutput> => {
      const output: RegisterOutput = unknown
        ? { unknown: true }
        : input.op === "read"
          ? { value: read }
          : input.op === "cas"
            ? { ok }
            : {};
      return { input, output, call, return: call + length };
    });
  fc.assert(
    fc.property(fc.array(randomOp, { minLength: 1, maxLength: 7 }), (history) => {
      const expected = bruteForceLinearizable(registerModel, history) ? "ok" : "illegal";
      assert.is(checkOperations(registerModel, history), expected);
    }),
    { numRuns: 600 },
  );
});

test.run();
