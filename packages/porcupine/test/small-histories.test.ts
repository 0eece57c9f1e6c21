import { test } from "uvu";
import * as assert from "uvu/assert";
import {
  checkEvents,
  checkOperations,
  defineModel,
  type Event,
  type KvInput,
  type KvOutput,
  kvModel,
  type Operation,
  registerModel,
} from "../src/index.js";
import { append, get, put } from "./helpers/history.js";

test("an empty history is linearizable", () => {
  assert.is(checkOperations(kvModel, []), "ok");
  assert.is(checkEvents(kvModel, []), "ok");
});

test("sequential put then get: the right value is ok, a stale or invented one is illegal", () => {
  assert.is(checkOperations(kvModel, [put("x", "1", 0, 1), get("x", "1", 2, 3)]), "ok");
  assert.is(checkOperations(kvModel, [put("x", "1", 0, 1), get("x", "", 2, 3)]), "illegal");
  assert.is(checkOperations(kvModel, [put("x", "1", 0, 1), get("x", "2", 2, 3)]), "illegal");
});

test("a missing key reads as the empty string", () => {
  assert.is(checkOperations(kvModel, [get("x", "", 0, 1)]), "ok");
  assert.is(checkOperations(kvModel, [get("x", "v", 0, 1)]), "illegal");
});

test("a read concurrent with a write may see either value", () => {
  assert.is(checkOperations(kvModel, [put("x", "1", 0, 10), get("x", "", 1, 2)]), "ok");
  assert.is(checkOperations(kvModel, [put("x", "1", 0, 10), get("x", "1", 1, 2)]), "ok");
});

test("overlapping reads must agree on one order of two concurrent writes", () => {
  // Both writes overlap each other; the reads come after both and are sequential.
  const writes = [put("x", "a", 0, 10), put("x", "b", 0, 10)];
  assert.is(checkOperations(kvModel, [...writes, get("x", "a", 11, 12), get("x", "a", 13, 14)]), "ok");
  assert.is(checkOperations(kvModel, [...writes, get("x", "a", 11, 12), get("x", "b", 13, 14)]), "illegal");
  // Reads concurrent with each other, but after both writes: they still see the same final value.
  assert.is(checkOperations(kvModel, [...writes, get("x", "a", 11, 20), get("x", "b", 11, 20)]), "illegal");
});

test("a read that overlaps a later write can see it; one that finished before it started cannot", () => {
  const h = [put("x", "1", 0, 1), put("x", "2", 5, 10)];
  assert.is(checkOperations(kvModel, [...h, get("x", "2", 2, 6)]), "ok");
  assert.is(checkOperations(kvModel, [...h, get("x", "2", 2, 4)]), "illegal");
});

test("touching intervals (return time = call time) count as concurrent", () => {
  // The put returns at 5 and the get is called at 5: the get may still be ordered first.
  assert.is(checkOperations(kvModel, [put("x", "1", 0, 5), get("x", "", 5, 10)]), "ok");
  assert.is(checkOperations(kvModel, [put("x", "1", 0, 4), get("x", "", 5, 10)]), "illegal");
  // A zero-length operation is fine too.
  assert.is(checkOperations(kvModel, [put("x", "1", 3, 3), get("x", "1", 3, 3)]), "ok");
});

test("the real-time order is respected across clients (the classic stale read)", () => {
  const history = [
    put("x", "0", 0, 1, 0),
    put("x", "1", 2, 20, 0), // slow write
    get("x", "1", 3, 4, 1), // client 1 already sees it
    get("x", "0", 5, 6, 2), // client 2 starts later and sees the old value: illegal
  ];
  assert.is(checkOperations(kvModel, history), "illegal");
  assert.is(checkOperations(kvModel, history.slice(0, 3)), "ok");
});

test("append builds the value; lab 2's Append returns the value before it", () => {
  const ok = [append("k", "a", 0, 1, ""), append("k", "b", 2, 3, "a"), get("k", "ab", 4, 5)];
  assert.is(checkOperations(kvModel, ok), "ok");
  assert.is(checkOperations(kvModel, [append("k", "a", 0, 1, ""), append("k", "b", 2, 3, "")]), "illegal");
  // Concurrent appends: either order, but the returned old values must match that order.
  const concurrent = [append("k", "a", 0, 10, "b"), append("k", "b", 0, 10, ""), get("k", "ba", 11, 12)];
  assert.is(checkOperations(kvModel, concurrent), "ok");
  const inconsistent = [append("k", "a", 0, 10, "b"), append("k", "b", 0, 10, ""), get("k", "ab", 11, 12)];
  assert.is(checkOperations(kvModel, inconsistent), "illegal");
});

test("lab 4's Append returns nothing, so its output is not checked", () => {
  const history = [append("k", "a", 0, 1), append("k", "b", 2, 3), get("k", "ab", 4, 5)];
  assert.is(checkOperations(kvModel, history), "ok");
  assert.is(checkOperations(kvModel, [...history, get("k", "ba", 6, 7)]), "illegal");
});

test("put replaces and keys are independent", () => {
  const history = [
    append("a", "1", 0, 1),
    put("a", "2", 2, 3),
    put("b", "x", 2, 3),
    get("a", "2", 4, 5),
    get("b", "x", 4, 5),
  ];
  assert.is(checkOperations(kvModel, history), "ok");
  assert.is(checkOperations(kvModel, [...history, get("b", "2", 6, 7)]), "illegal");
});

test("one illegal key makes the whole history illegal", () => {
  assert.is(checkOperations(kvModel, [put("a", "1", 0, 1), get("b", "1", 2, 3)]), "illegal");
});

test("the event form gives the same answers", () => {
  const events: Event<KvInput, KvOutput>[] = [
    { kind: "call", value: { op: "put", key: "x", value: "1" }, id: 7, clientId: 0 },
    { kind: "call", value: { op: "get", key: "x" }, id: 3, clientId: 1 },
    { kind: "return", value: { value: "" }, id: 3, clientId: 1 },
    { kind: "return", value: {}, id: 7, clientId: 0 },
    { kind: "call", value: { op: "get", key: "x" }, id: 3, clientId: 1 }, // ids may be reused once closed
    { kind: "return", value: { value: "1" }, id: 3, clientId: 1 },
  ];
  assert.is(checkEvents(kvModel, events), "ok");
  const stale = structuredClone(events);
  stale[5] = { kind: "return", value: { value: "" }, id: 3, clientId: 1 };
  assert.is(checkEvents(kvModel, stale), "illegal");
});

test("register: read, write and compare-and-set, with indeterminate outcomes", () => {
  type Op = Operation<Parameters<typeof registerModel.step>[1], Parameters<typeof registerModel.step>[2]>;
  const ok: Op[] = [
    { input: { op: "read" }, output: { value: null }, call: 0, return: 1 },
    { input: { op: "write", value: 1 }, output: {}, call: 2, return: 3 },
    { input: { op: "cas", from: 1, to: 2 }, output: { ok: true }, call: 4, return: 5 },
    { input: { op: "cas", from: 1, to: 3 }, output: { ok: false }, call: 6, return: 7 },
    { input: { op: "read" }, output: { value: 2 }, call: 8, return: 9 },
  ];
  assert.is(checkOperations(registerModel, ok), "ok");
  const badCas = structuredClone(ok);
  badCas[3]!.output = { ok: true };
  assert.is(checkOperations(registerModel, badCas), "illegal");
  // A write whose outcome is unknown may or may not have happened.
  const unknownWrite: Op[] = [
    { input: { op: "write", value: 5 }, output: { unknown: true }, call: 0, return: 100 },
    { input: { op: "read" }, output: { value: null }, call: 1, return: 2 },
    { input: { op: "read" }, output: { value: 5 }, call: 3, return: 4 },
  ];
  assert.is(checkOperations(registerModel, unknownWrite), "ok");
  assert.is(
    checkOperations(registerModel, [...unknownWrite.slice(0, 1), ...unknownWrite.slice(1).reverse()]),
    "ok",
  );
  const readBack = [unknownWrite[0]!, unknownWrite[2]!, { ...unknownWrite[1]!, call: 5, return: 6 }];
  assert.is(checkOperations(registerModel, readBack), "illegal");
});

test("a custom model with the structural defaults for equal and hash", () => {
  // A counter whose reads return the number of increments so far; the state is an object.
  const counter = defineModel({
    init: () => ({ count: 0 }),
    step: (state: { count: number }, input: "inc" | "read", output: number | undefined) =>
      input === "inc"
        ? { ok: true, state: { count: state.count + 1 } }
        : { ok: output === state.count, state },
  });
  const history: Operation<"inc" | "read", number | undefined>[] = [
    { input: "inc", output: undefined, call: 0, return: 10 },
    { input: "inc", output: undefined, call: 0, return: 10 },
    { input: "read", output: 1, call: 1, return: 2 },
    { input: "read", output: 2, call: 11, return: 12 },
  ];
  assert.is(checkOperations(counter, history), "ok");
  assert.is(
    checkOperations(counter, [...history, { input: "read", output: 1, call: 13, return: 14 }]),
    "illegal",
  );
});

test("a model's partitionEvent is used for the event form", () => {
  let calls = 0;
  const model = defineModel({
    ...kvModel,
    partitionEvent(history: Event<KvInput, KvOutput>[]) {
      calls++;
      const keyOf = new Map<number, string>();
      const parts = new Map<string, Event<KvInput, KvOutput>[]>();
      for (const event of history) {
        const key = event.kind === "call" ? event.value.key : keyOf.get(event.id)!;
        if (event.kind === "call") keyOf.set(event.id, key);
        parts.set(key, [...(parts.get(key) ?? []), event]);
      }
      return [...parts.values()];
    },
  });
  const events: Event<KvInput, KvOutput>[] = [
    { kind: "call", value: { op: "put", key: "a", value: "1" }, id: 0 },
    { kind: "call", value: { op: "get", key: "b" }, id: 1 },
    { kind: "return", value: {}, id: 0 },
    { kind: "return", value: { value: "1" }, id: 1 },
  ];
  assert.is(checkEvents(model, events), "illegal");
  assert.is(calls, 1);
});

test.run();
