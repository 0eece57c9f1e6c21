import { checkOperations } from "@raftkit/porcupine";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { lockModel } from "../src/testkit/index.js";

const acquire = (owner: string, call: number, ret: number, value: unknown) => ({
  clientId: 0,
  input: { kind: "submit" as const, command: { op: "acquire" as const, lock: "L", owner } },
  call,
  output: { ok: true as const, value: value as never },
  return: ret,
});
const release = (owner: string, call: number, ret: number, released: boolean) => ({
  clientId: 0,
  input: { kind: "submit" as const, command: { op: "release" as const, lock: "L", owner } },
  call,
  output: { ok: true as const, value: { released } as never },
  return: ret,
});

test("the model accepts grants with growing tokens and refuses a token that does not grow (negative control)", () => {
  const good = [
    acquire("a", 0, 1, { granted: true, token: 5 }),
    release("a", 2, 3, true),
    acquire("b", 4, 5, { granted: true, token: 9 }),
  ];
  assert.is(checkOperations(lockModel, good), "ok");
  const stale = [
    acquire("a", 0, 1, { granted: true, token: 5 }),
    release("a", 2, 3, true),
    acquire("b", 4, 5, { granted: true, token: 5 }),
  ];
  assert.is(checkOperations(lockModel, stale), "illegal");
  const doubleGrant = [
    acquire("a", 0, 1, { granted: true, token: 5 }),
    acquire("b", 2, 3, { granted: true, token: 7 }),
  ];
  assert.is(checkOperations(lockModel, doubleGrant), "illegal");
});

test.run();
