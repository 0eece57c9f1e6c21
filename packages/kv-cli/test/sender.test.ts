import { test } from "uvu";
import * as assert from "uvu/assert";
import { senderRefusal } from "../src/sender.js";

const member = (id: number) => ({ role: "member" as const, id });

test("a raft message must name its caller as its sender", () => {
  assert.is(senderRefusal("AppendEntries", { term: 3, leaderId: 1 }, member(1)), undefined);
  assert.is(senderRefusal("RequestVote", { term: 3, candidateId: 2 }, member(2)), undefined);
  assert.is(
    senderRefusal("AppendEntries", { term: 3, leaderId: 2 }, member(0)),
    "member 0 sent AppendEntries with leaderId 2",
  );
  assert.is(
    senderRefusal("RequestVote", { term: 3, candidateId: "2" }, member(2)),
    'member 2 sent RequestVote with candidateId "2"',
  );
});

test("requests without a sender field, and client requests, are not its business", () => {
  assert.is(senderRefusal("KVServer.Get", { key: "k" }, member(0)), undefined);
  assert.is(
    senderRefusal("KVServer.Get", { key: "k", leaderId: 9 }, { role: "client", name: "app" }),
    undefined,
  );
  assert.is(senderRefusal("X", null, member(0)), undefined);
});

test.run();
