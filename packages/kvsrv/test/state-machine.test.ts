import { test } from "uvu";
import * as assert from "uvu/assert";
import { type KvCommand, KvStateMachine, SnapshotFormatError } from "../src/index.js";

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
  assert.equal(sm.apply({ op: "put", key: "k", value: "a" }, 2), { status: "ok" });
  assert.equal(sm.apply({ op: "append", key: "k", value: "b" }, 3), {
    status: "ok",
    value: "a",
  });
  assert.equal(sm.apply({ op: "get", key: "k" }, 4), { status: "ok", value: "ab" });
  assert.is(sm.lastAppliedIndex, 4);
});

test("malformed commands execute nothing and say which field is wrong", () => {
  const sm = new KvStateMachine();
  const cases: [unknown, string][] = [
    [null, ""],
    ["put", ""],
    [{ op: "frobnicate", key: "k" }, "op"],
    [{ op: "get" }, "key"],
    [{ op: "get", key: 5 }, "key"],
    [{ op: "put", key: "k" }, "value"],
    [{ op: "put", key: "k", value: 1 }, "value"],
    [{ op: "append", key: 3, value: "v" }, "key"],
    [{ op: "delete" }, "key"],
  ];
  cases.forEach(([command, field], i) => {
    const result = sm.apply(command as KvCommand, i + 1);
    assert.is(result.status, "malformed", JSON.stringify(command));
    if (result.status === "malformed") assert.is(result.field, field, JSON.stringify(command));
  });
  assert.is(sm.keyCount, 0);
});

test("keys that are Object.prototype names are ordinary keys", () => {
  const sm = machine(
    { op: "put", key: "__proto__", value: "p" },
    { op: "append", key: "constructor", value: "c" },
  );
  assert.is(sm.read("__proto__"), "p");
  assert.is(sm.read("constructor"), "c");
  assert.is(sm.read("toString"), "");
  const copy = new KvStateMachine();
  copy.restore(sm.snapshot());
  assert.is(copy.read("__proto__"), "p");
});

test("a Get of a missing key has no value; of an empty value, the empty string", () => {
  const sm = machine({ op: "put", key: "empty", value: "" });
  assert.equal(sm.apply({ op: "get", key: "missing" }, 2), { status: "ok" });
  assert.equal(sm.apply({ op: "get", key: "empty" }, 3), { status: "ok", value: "" });
  assert.is(sm.lookup("missing"), undefined);
  assert.is(sm.lookup("empty"), "");
  assert.is(sm.read("missing"), "");
});

test("Delete removes a key; deleting a missing key is ok", () => {
  const sm = machine({ op: "put", key: "k", value: "v" });
  assert.equal(sm.apply({ op: "delete", key: "k" }, 2), { status: "ok" });
  assert.is(sm.lookup("k"), undefined);
  assert.is(sm.keyCount, 0);
  assert.equal(sm.apply({ op: "delete", key: "nothing" }, 3), { status: "ok" });
  assert.equal(sm.apply({ op: "delete", key: 4 } as unknown as KvCommand, 4).status, "malformed");
});

test("appendReturnsOldValue: false answers Append with a bare ok", () => {
  const sm = new KvStateMachine({ appendReturnsOldValue: false });
  sm.apply({ op: "put", key: "k", value: "a" }, 1);
  assert.equal(sm.apply({ op: "append", key: "k", value: "b" }, 2), { status: "ok" });
  assert.is(sm.read("k"), "ab");
});

test("a deleted key stays deleted through snapshot and restore", () => {
  const sm = machine(
    { op: "put", key: "a", value: "1" },
    { op: "put", key: "b", value: "2" },
    { op: "delete", key: "a" },
  );
  const copy = machine({ op: "put", key: "a", value: "stale" });
  copy.restore(sm.snapshot());
  assert.is(copy.lookup("a"), undefined);
  assert.is(copy.lookup("b"), "2");
});

test("snapshot and restore carry the data and the applied index", () => {
  const sm = machine(
    { op: "put", key: "k", value: "x" },
    { op: "append", key: "k", value: "y" },
    { op: "put", key: "é🙂", value: "ünï" },
  );
  const copy = new KvStateMachine();
  copy.apply({ op: "put", key: "stale", value: "gone" }, 1);
  copy.restore(sm.snapshot());
  assert.is(copy.read("stale"), "");
  assert.is(copy.read("k"), "xy");
  assert.is(copy.read("é🙂"), "ünï");
  assert.is(copy.lastAppliedIndex, 3);
  // Replicas that applied the same commands produce identical snapshots.
  assert.equal(machine().snapshot(), new KvStateMachine().snapshot());
  const again = machine(
    { op: "put", key: "k", value: "x" },
    { op: "append", key: "k", value: "y" },
    { op: "put", key: "é🙂", value: "ünï" },
  );
  assert.equal(again.snapshot(), sm.snapshot());
});

test("restore refuses a version-1 snapshot (it held sessions, now the service layer's) by name", () => {
  const v1 = new Uint8Array([
    0x88,
    0x6f,
    ...Buffer.from("raftkit-kvsrv/1"),
    0,
    0x80,
    0x80,
    0x80,
    0x80,
    0x80,
    0x80,
  ]);
  assert.throws(
    () => new KvStateMachine().restore(v1),
    (e: unknown) =>
      e instanceof SnapshotFormatError &&
      /not a raftkit-kvsrv\/2 snapshot \(found raftkit-kvsrv\/1\)/.test(e.message),
  );
});

test("restore rejects what is not a snapshot and keeps its state", () => {
  const sm = machine({ op: "put", key: "k", value: "v" });
  for (const bad of [new Uint8Array(0), new Uint8Array([0xff, 0x00]), Uint8Array.of(0x80)]) {
    assert.throws(
      () => sm.restore(bad),
      (e: unknown) => e instanceof SnapshotFormatError,
    );
  }
  assert.is(sm.read("k"), "v");
});

test("a large snapshot is its own copy and round-trips", () => {
  const sm = machine({ op: "put", key: "big", value: "v".repeat(3 << 20) });
  const bytes = sm.snapshot();
  assert.is(bytes.byteOffset, 0);
  assert.is(bytes.buffer.byteLength, bytes.byteLength);
  const copy = new KvStateMachine();
  copy.restore(bytes);
  assert.is(copy.read("big").length, 3 << 20);
});

test.run();
