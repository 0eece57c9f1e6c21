import { existsSync, readFileSync, rmSync } from "node:fs";
import { test } from "uvu";
import * as assert from "uvu/assert";
import {
  assertLinearizable,
  type KvInput,
  type KvOutput,
  kvModel,
  NotLinearizableError,
  type Operation,
} from "../src/index.js";

const put = (value: string, call: number, ret: number): Operation<KvInput, KvOutput> => ({
  clientId: 0,
  input: { op: "put", key: "k", value },
  call,
  output: {},
  return: ret,
});
const get = (value: string, call: number, ret: number): Operation<KvInput, KvOutput> => ({
  clientId: 1,
  input: { op: "get", key: "k" },
  call,
  output: { value },
  return: ret,
});

test("assertLinearizable: ok for a legal history", () => {
  assert.is(assertLinearizable(kvModel, [put("a", 0, 1), get("a", 2, 3)]), "ok");
});

test("assertLinearizable: an illegal history throws, naming the visualisation it wrote", () => {
  try {
    assertLinearizable(kvModel, [put("a", 0, 1), get("stale", 2, 3)]);
    assert.unreachable("a stale read must be refused");
  } catch (error) {
    assert.instance(error, NotLinearizableError);
    const file = (error as NotLinearizableError).file;
    assert.ok(existsSync(file), "the visualisation exists");
    assert.match(readFileSync(file, "utf8"), /<html/i);
    assert.match((error as Error).message, new RegExp(file.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")));
    rmSync(file);
  }
});

test.run();
