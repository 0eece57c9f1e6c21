import { type KvCommand, MalformedCommandError } from "@raftkit/kvsrv";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { decodeKvCommand, encodeKvCommand, parseKvRaftCommand } from "../src/index.js";

test("every kvsrv command comes back from kvraft's compact form as it was", () => {
  const commands: KvCommand[] = [
    { op: "get", key: "k" },
    { op: "put", key: "k", value: "v" },
    { op: "append", key: "", value: "" },
    { op: "delete", key: "k" },
  ];
  for (const command of commands) assert.equal(decodeKvCommand(encodeKvCommand(command)), command);
  assert.equal(encodeKvCommand({ op: "put", key: "k", value: "v" }), [1, "k", "v"]);
});

test("a malformed compact command is a MalformedCommandError naming the field", () => {
  const cases: Array<[unknown, string]> = [
    [{ op: "put", key: "k", value: "v" }, "command"],
    [[1], "command"],
    [[1, "k", "v", "x"], "command"],
    [[9, "k"], "op"],
    ["1", "command"],
    [[1.5, "k", "v"], "op"],
    [[0, 7], "key"],
    [[1, "k"], "command"],
    [[0, "k", "v"], "command"],
    [[2, "k", 3], "value"],
  ];
  for (const [value, field] of cases) {
    assert.throws(
      () => parseKvRaftCommand(value),
      (e: unknown) => e instanceof MalformedCommandError && e.field === field,
      JSON.stringify(value),
    );
  }
  const wire = [1, "k", "v"];
  const parsed = parseKvRaftCommand(wire);
  assert.equal(parsed, wire);
  assert.ok((parsed as unknown) !== wire, "a fresh array, not the message's");
});

test.run();
