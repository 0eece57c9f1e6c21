import { test } from "uvu";
import * as assert from "uvu/assert";
import { type KvCommand, KvStateMachine, SnapshotFormatError } from "../src/index.js";

const A = "client-a";
const B = "client-b";

function machine(...commands: KvCommand[]): KvStateMachine {
  const sm = new KvStateMachine();
  commands.forEach((c, i) => {
    sm.apply(c, i + 1);
  });
  return sm;
}

test("get, put and append (append returns the old value)", () => {
  const sm = new KvStateMachine();
  assert.equal(sm.apply({ op: "get", key: "k" }, 1), { status: "ok" });
  assert.equal(sm.apply({ op: "put", key: "k", value: "a", clientId: A, seq: 1 }, 2), { status: "ok" });
  assert.equal(sm.apply({ op: "append", key: "k", value: "b", clientId: A, seq: 2 }, 3), {
    status: "ok",
    value: "a",
  });
  assert.equal(sm.apply({ op: "get", key: "k" }, 4), { status: "ok", value: "ab" });
  assert.is(sm.lastAppliedIndex, 4);
});

test("a retried Put or Append executes once and gets the first answer again", () => {
  const sm = machine({ op: "put", key: "k", value: "x", clientId: A, seq: 1 });
  const append = { op: "append", key: "k", value: "y", clientId: A, seq: 2 } as const;
  assert.equal(sm.apply(append, 2), { status: "ok", value: "x" });
  assert.equal(sm.apply(append, 3), { status: "ok", value: "x" });
  const put = { op: "put", key: "k", value: "z", clientId: B, seq: 7 } as const;
  assert.equal(sm.apply(put, 4), { status: "ok" });
  assert.equal(sm.apply({ op: "append", key: "k", value: "!", clientId: A, seq: 3 }, 5), {
    status: "ok",
    value: "z",
  });
  assert.equal(sm.apply(put, 6), { status: "ok" }, "B's retry does not overwrite A's append");
  assert.is(sm.read("k"), "z!");
});

test("a request older than the client's newest is superseded and not executed", () => {
  const sm = machine(
    { op: "append", key: "k", value: "1", clientId: A, seq: 1 },
    { op: "append", key: "k", value: "2", clientId: A, seq: 2 },
  );
  assert.equal(sm.apply({ op: "append", key: "k", value: "1", clientId: A, seq: 1 }, 3), {
    status: "superseded",
  });
  assert.equal(sm.apply({ op: "put", key: "k", value: "old", clientId: A, seq: 1 }, 4), {
    status: "superseded",
  });
  assert.is(sm.read("k"), "12");
});

test("Gets keep no per-client state", () => {
  const sm = new KvStateMachine();
  for (let i = 0; i < 100; i++) sm.apply({ op: "get", key: "k", clientId: `c${i}`, seq: 1 }, i + 1);
  assert.equal(sm.sessionStats, { clients: 0, cachedReplies: 0 });
});

test("an Append reply is dropped as soon as its client sends anything newer", () => {
  const sm = machine({ op: "append", key: "k", value: "a", clientId: A, seq: 1 });
  assert.equal(sm.sessionStats, { clients: 1, cachedReplies: 1 });
  sm.apply({ op: "get", key: "k", clientId: A, seq: 2 }, 2);
  assert.equal(sm.sessionStats, { clients: 1, cachedReplies: 0 });
  // The original Append arriving late again: not executed, and nobody waits for its answer.
  assert.equal(sm.apply({ op: "append", key: "k", value: "a", clientId: A, seq: 1 }, 3), {
    status: "superseded",
  });
  sm.apply({ op: "append", key: "k", value: "b", clientId: A, seq: 3 }, 4);
  sm.apply({ op: "put", key: "j", value: "c", clientId: A, seq: 4 }, 5);
  assert.equal(sm.sessionStats, { clients: 1, cachedReplies: 0 });
  assert.is(sm.read("k"), "ab");
});

test("a Get from another client does not drop someone else's cached reply", () => {
  const sm = machine({ op: "append", key: "k", value: "a", clientId: A, seq: 5 });
  sm.apply({ op: "get", key: "k", clientId: B, seq: 9 }, 2);
  sm.apply({ op: "get", key: "k" }, 3);
  assert.equal(sm.apply({ op: "append", key: "k", value: "a", clientId: A, seq: 5 }, 4), {
    status: "ok",
    value: "",
  });
});

test("appendReturnsOldValue: false caches nothing and answers Append with ok", () => {
  const sm = new KvStateMachine({ appendReturnsOldValue: false });
  const append = { op: "append", key: "k", value: "a", clientId: A, seq: 1 } as const;
  assert.equal(sm.apply(append, 1), { status: "ok" });
  assert.equal(sm.apply(append, 2), { status: "ok" });
  assert.equal(sm.sessionStats, { clients: 1, cachedReplies: 0 });
  assert.is(sm.read("k"), "a");
});

test("malformed commands execute nothing and say which field is wrong", () => {
  const sm = new KvStateMachine();
  const cases: [unknown, string][] = [
    [null, ""],
    ["put", ""],
    [{ op: "frobnicate", key: "k" }, "op"],
    [{ op: "get" }, "key"],
    [{ op: "get", key: 5 }, "key"],
    [{ op: "get", key: "k", clientId: "a" }, "seq"],
    [{ op: "put", key: "k", clientId: A, seq: 1 }, "value"],
    [{ op: "put", key: "k", value: 1, clientId: A, seq: 1 }, "value"],
    [{ op: "append", key: "k", value: "v", seq: 1 }, "clientId"],
    [{ op: "append", key: "k", value: "v", clientId: "", seq: 1 }, "clientId"],
    [{ op: "append", key: "k", value: "v", clientId: A }, "seq"],
    [{ op: "append", key: "k", value: "v", clientId: A, seq: 0 }, "seq"],
    [{ op: "append", key: "k", value: "v", clientId: A, seq: 1.5 }, "seq"],
    [{ op: "append", key: "k", value: "v", clientId: A, seq: "1" }, "seq"],
  ];
  cases.forEach(([command, field], i) => {
    const result = sm.apply(command as KvCommand, i + 1);
    assert.is(result.status, "malformed", JSON.stringify(command));
    if (result.status === "malformed") assert.is(result.field, field, JSON.stringify(command));
  });
  assert.is(sm.keyCount, 0);
  assert.equal(sm.sessionStats, { clients: 0, cachedReplies: 0 });
});

test("keys that are Object.prototype names are ordinary keys", () => {
  const sm = machine(
    { op: "put", key: "__proto__", value: "p", clientId: A, seq: 1 },
    { op: "append", key: "constructor", value: "c", clientId: A, seq: 2 },
  );
  assert.is(sm.read("__proto__"), "p");
  assert.is(sm.read("constructor"), "c");
  assert.is(sm.read("toString"), "");
  const copy = new KvStateMachine();
  copy.restore(sm.snapshot());
  assert.is(copy.read("__proto__"), "p");
});

test("a Get of a missing key has no value; of an empty value, the empty string", () => {
  const sm = machine({ op: "put", key: "empty", value: "", clientId: A, seq: 1 });
  assert.equal(sm.apply({ op: "get", key: "missing" }, 2), { status: "ok" });
  assert.equal(sm.apply({ op: "get", key: "empty" }, 3), { status: "ok", value: "" });
  assert.is(sm.lookup("missing"), undefined);
  assert.is(sm.lookup("empty"), "");
  assert.is(sm.read("missing"), "");
});

test("Delete removes a key once per (clientId, seq); a retry does not remove a later write", () => {
  const sm = machine({ op: "put", key: "k", value: "v", clientId: A, seq: 1 });
  const del = { op: "delete", key: "k", clientId: A, seq: 2 } as const;
  assert.equal(sm.apply(del, 2), { status: "ok" });
  assert.is(sm.lookup("k"), undefined);
  assert.is(sm.keyCount, 0);
  assert.equal(sm.apply({ op: "put", key: "k", value: "w", clientId: B, seq: 1 }, 3), { status: "ok" });
  assert.equal(sm.apply(del, 4), { status: "ok" }, "the retry is answered as the first time");
  assert.is(sm.lookup("k"), "w", "the retry executed nothing");
  assert.equal(sm.apply({ op: "delete", key: "k", clientId: A, seq: 1 }, 5), { status: "superseded" });
  assert.equal(sm.apply({ op: "delete", key: "nothing", clientId: A, seq: 3 }, 6), { status: "ok" });
  assert.equal(
    sm.apply({ op: "delete", key: "k", clientId: "", seq: 4 } as KvCommand, 7).status,
    "malformed",
  );
  assert.is(sm.lookup("k"), "w");
});

test("a deleted key stays deleted through snapshot and restore", () => {
  const sm = machine(
    { op: "put", key: "a", value: "1", clientId: A, seq: 1 },
    { op: "put", key: "b", value: "2", clientId: A, seq: 2 },
    { op: "delete", key: "a", clientId: B, seq: 1 },
  );
  const copy = machine({ op: "put", key: "a", value: "stale", clientId: "z", seq: 1 });
  copy.restore(sm.snapshot());
  assert.is(copy.lookup("a"), undefined);
  assert.is(copy.lookup("b"), "2");
  assert.equal(copy.sessionStats, sm.sessionStats);
  // The Delete's session came along: a retry of it after the restore executes nothing.
  copy.apply({ op: "put", key: "a", value: "new", clientId: A, seq: 3 }, 4);
  assert.equal(copy.apply({ op: "delete", key: "a", clientId: B, seq: 1 }, 5), { status: "ok" });
  assert.is(copy.lookup("a"), "new");
});

test("snapshot and restore carry data, sessions and cached replies", () => {
  const sm = machine(
    { op: "put", key: "k", value: "x", clientId: A, seq: 1 },
    { op: "append", key: "k", value: "y", clientId: B, seq: 4 },
    { op: "put", key: "é🙂", value: "ünï", clientId: A, seq: 2 },
  );
  const copy = new KvStateMachine();
  copy.apply({ op: "put", key: "stale", value: "gone", clientId: "z", seq: 1 }, 1);
  copy.restore(sm.snapshot());
  assert.is(copy.read("stale"), "");
  assert.is(copy.read("k"), "xy");
  assert.is(copy.read("é🙂"), "ünï");
  assert.is(copy.lastAppliedIndex, 3);
  assert.equal(copy.sessionStats, sm.sessionStats);
  // Retries after a restore are still recognised.
  assert.equal(copy.apply({ op: "append", key: "k", value: "y", clientId: B, seq: 4 }, 4), {
    status: "ok",
    value: "x",
  });
  assert.equal(copy.apply({ op: "put", key: "k", value: "x", clientId: A, seq: 1 }, 5), {
    status: "superseded",
  });
  assert.is(copy.read("k"), "xy");
  // Replicas that applied the same commands produce identical snapshots.
  assert.equal(machine().snapshot(), new KvStateMachine().snapshot());
  const again = machine(
    { op: "put", key: "k", value: "x", clientId: A, seq: 1 },
    { op: "append", key: "k", value: "y", clientId: B, seq: 4 },
    { op: "put", key: "é🙂", value: "ünï", clientId: A, seq: 2 },
  );
  assert.equal(again.snapshot(), sm.snapshot());
});

test("restore rejects what is not a snapshot and keeps its state", () => {
  const sm = machine({ op: "put", key: "k", value: "v", clientId: A, seq: 1 });
  for (const bad of [new Uint8Array(0), new Uint8Array([0xff, 0x00]), Uint8Array.of(0x80)]) {
    assert.throws(
      () => sm.restore(bad),
      (e: unknown) => e instanceof SnapshotFormatError,
    );
  }
  assert.is(sm.read("k"), "v");
});

test("a large snapshot is its own copy and round-trips", () => {
  const sm = machine({ op: "put", key: "big", value: "v".repeat(3 << 20), clientId: A, seq: 1 });
  const bytes = sm.snapshot();
  assert.is(bytes.byteOffset, 0);
  assert.is(bytes.buffer.byteLength, bytes.byteLength);
  const copy = new KvStateMachine();
  copy.restore(bytes);
  assert.is(copy.read("big").length, 3 << 20);
});

test.run();
