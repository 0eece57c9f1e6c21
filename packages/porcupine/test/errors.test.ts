import { test } from "uvu";
import * as assert from "uvu/assert";
import {
  checkEvents,
  checkOperations,
  DuplicateCallError,
  type Event,
  HistoryError,
  InvalidEventError,
  InvalidOperationError,
  InvalidTimeError,
  type KvInput,
  type KvOutput,
  kvModel,
  MissingReturnError,
  type Operation,
  ReturnBeforeCallError,
  registerModel,
  UnmatchedReturnError,
} from "../src/index.js";
import { get, put } from "./helpers/history.js";

type KvEvent = Event<KvInput, KvOutput>;

function throwsA<E extends Error>(fn: () => unknown, kind: new (...args: never[]) => E, message: RegExp): E {
  try {
    fn();
  } catch (error) {
    assert.instance(error, kind);
    assert.instance(error, HistoryError);
    assert.match((error as Error).message, message);
    return error as E;
  }
  return assert.unreachable(`expected ${kind.name}`) as never;
}

test("a return before its call is rejected with ReturnBeforeCallError", () => {
  const error = throwsA(
    () => checkOperations(kvModel, [put("x", "1", 0, 1), get("x", "1", 5, 4)]),
    ReturnBeforeCallError,
    /operation 1 returns at 4, before its call at 5/,
  );
  assert.is(error.index, 1);
});

test("an operation without a return time is rejected with MissingReturnError", () => {
  const open = { input: { op: "get", key: "x" }, output: { value: "" }, call: 0 } as Operation<
    KvInput,
    KvOutput
  >;
  throwsA(() => checkOperations(kvModel, [open]), MissingReturnError, /operation 0 has no return time/);
});

test("a non-finite time is rejected with InvalidTimeError", () => {
  throwsA(() => checkOperations(kvModel, [get("x", "", Number.NaN, 1)]), InvalidTimeError, /call time/);
  throwsA(
    () => checkOperations(kvModel, [get("x", "", 0, Number.POSITIVE_INFINITY)]),
    InvalidTimeError,
    /return/,
  );
});

test("a call event without a return is rejected with MissingReturnError", () => {
  const events: KvEvent[] = [{ kind: "call", value: { op: "get", key: "x" }, id: 4 }];
  const error = throwsA(() => checkEvents(kvModel, events), MissingReturnError, /id 4/);
  assert.is(error.id, 4);
});

test("a return event matching no open call is rejected with UnmatchedReturnError", () => {
  const events: KvEvent[] = [
    { kind: "call", value: { op: "get", key: "x" }, id: 1 },
    { kind: "return", value: { value: "" }, id: 2 },
  ];
  throwsA(() => checkEvents(kvModel, events), UnmatchedReturnError, /position 1 has id 2/);
  // A return may not come before its call either.
  const early: KvEvent[] = [
    { kind: "return", value: { value: "" }, id: 1 },
    { kind: "call", value: { op: "get", key: "x" }, id: 1 },
  ];
  throwsA(() => checkEvents(kvModel, early), UnmatchedReturnError, /position 0/);
});

test("a call reusing an open id is rejected with DuplicateCallError", () => {
  const events: KvEvent[] = [
    { kind: "call", value: { op: "get", key: "x" }, id: 1 },
    { kind: "call", value: { op: "get", key: "y" }, id: 1 },
    { kind: "return", value: { value: "" }, id: 1 },
    { kind: "return", value: { value: "" }, id: 1 },
  ];
  throwsA(() => checkEvents(kvModel, events), DuplicateCallError, /reuses id 1/);
});

test("an event of an unknown kind is rejected with InvalidEventError", () => {
  const events = [{ kind: "start", value: { op: "get", key: "x" }, id: 1 }] as unknown as KvEvent[];
  throwsA(() => checkEvents(kvModel, events), InvalidEventError, /kind must be "call" or "return"/);
});

test("an unknown kv op is rejected with InvalidOperationError, not answered", () => {
  const bad = { input: { op: "delete", key: "x" }, output: {}, call: 0, return: 1 } as unknown as Operation<
    KvInput,
    KvOutput
  >;
  const error = throwsA(
    () => checkOperations(kvModel, [put("x", "1", 0, 1), bad]),
    InvalidOperationError,
    /kv model, operation 1: unknown op "delete"/,
  );
  assert.is(error.index, 1);
  const noValue = { input: { op: "get", key: "x" }, output: {}, call: 0, return: 1 };
  throwsA(
    () => checkOperations(kvModel, [noValue]),
    InvalidOperationError,
    /get: output.value must be a string/,
  );
  const putWithoutValue = { input: { op: "put", key: "x" }, output: {}, call: 0, return: 1 };
  throwsA(() => checkOperations(kvModel, [putWithoutValue]), InvalidOperationError, /put: input.value/);
});

test("in the event form, an invalid operation is named by its call event's position", () => {
  const events = [
    { kind: "call", value: { op: "get", key: "x" }, id: 1 },
    { kind: "return", value: { value: "" }, id: 1 },
    { kind: "call", value: { op: "incr", key: "x" }, id: 2 },
    { kind: "return", value: {}, id: 2 },
  ] as unknown as KvEvent[];
  const error = throwsA(
    () => checkEvents(kvModel, events),
    InvalidOperationError,
    /kv model, call event at position 2: unknown op "incr"/,
  );
  assert.is(error.index, 1);
  assert.is(error.eventPosition, 2);
});

test("an unknown register op is rejected with InvalidOperationError", () => {
  const bad = { input: { op: "swap" }, output: {}, call: 0, return: 1 } as never;
  throwsA(
    () => checkOperations(registerModel, [bad]),
    InvalidOperationError,
    /register model.*unknown op "swap"/,
  );
});

test("a negative or NaN timeout is a RangeError", () => {
  assert.throws(() => checkOperations(kvModel, [], { timeout: -1 }), RangeError);
  assert.throws(() => checkOperations(kvModel, [], { timeout: Number.NaN }), RangeError);
});

test.run();
