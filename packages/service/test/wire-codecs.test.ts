import { InvalidMessageError } from "@raftkit/raft";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { SERVICE_METHODS, SERVICE_WIRE_CODECS } from "../src/index.js";

const command = { op: "put", key: "k", value: "v" };

test("every service request and ok reply comes back from its compact form as it was", () => {
  const requests: Array<[string, object]> = [
    [SERVICE_METHODS.submit, { session: 7, seq: 1, command }],
    [SERVICE_METHODS.submit, { session: 7, seq: 2, command, to: 1 }],
    [SERVICE_METHODS.submit, { session: 7, seq: 3, command, cluster: "x", to: 0 }],
    [SERVICE_METHODS.read, { query: "k", cluster: "x" }],
    [SERVICE_METHODS.openSession, {}],
    [SERVICE_METHODS.openSession, { to: 2 }],
  ];
  for (const [method, args] of requests) {
    const codec = SERVICE_WIRE_CODECS[method]!;
    const compact = codec.encodeArgs(args);
    assert.ok(compact, `${method} ${JSON.stringify(args)} has a compact form`);
    assert.equal(codec.decodeArgs(compact!), args);
  }
  const codec = SERVICE_WIRE_CODECS[SERVICE_METHODS.submit]!;
  for (const reply of [
    { status: "ok" },
    { status: "ok", value: { status: "ok" } },
    { status: "ok", value: "x" },
  ]) {
    const compact = codec.encodeReply(reply);
    assert.ok(compact, JSON.stringify(reply));
    assert.equal(codec.decodeReply(compact!), reply);
  }
});

test("shapes the codecs do not know are left to the generic form; malformed compact forms throw", () => {
  const codec = SERVICE_WIRE_CODECS[SERVICE_METHODS.submit]!;
  assert.is(codec.encodeArgs({ session: 7, seq: 1, command, extra: 1 }), undefined);
  assert.is(codec.encodeArgs({ session: 7, command }), undefined);
  assert.is(codec.encodeArgs("c"), undefined);
  assert.is(codec.encodeReply({ status: "error", code: "NOT_LEADER", message: "m", leaderId: 1 }), undefined);
  for (const bad of [
    [4, 7, 1, command],
    [0, 7, 1],
    [1, 7, 1, command],
  ])
    assert.throws(
      () => codec.decodeArgs(bad),
      (e: unknown) => e instanceof InvalidMessageError,
      JSON.stringify(bad),
    );
  for (const bad of [[1], [0, 1, 2]])
    assert.throws(
      () => codec.decodeReply(bad),
      (e: unknown) => e instanceof InvalidMessageError,
      JSON.stringify(bad),
    );
  const ids = Object.values(SERVICE_WIRE_CODECS).map((c) => c.id);
  assert.equal(new Set(ids).size, ids.length, "ids are unique");
});

test.run();
