import { Simulation } from "@raftkit/labrpc";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { type AppendEntriesReply, type RequestVoteReply, UnencodableCommandError } from "../src/index.js";
import { throwsA } from "./core-helpers.js";
import { FailingStorage, lonelyNode } from "./node-helpers.js";

const VOTE_REQUEST = { term: 1, candidateId: 1, lastLogIndex: 0, lastLogTerm: 0 };
const APPEND_REQUEST = {
  term: 1,
  leaderId: 1,
  prevLogIndex: 0,
  prevLogTerm: 0,
  entries: [{ term: 1, command: "x" }],
  leaderCommit: 0,
};

for (const failWith of ["reject", "throw"] as const) {
  test(`node: a vote whose write fails (${failWith}) is never granted`, async () => {
    const sim = new Simulation({ seed: 11 });
    await sim.run(async () => {
      const storage = new FailingStorage(sim);
      const { node, transport, errors } = lonelyNode(sim, storage);
      storage.failWith = failWith;
      const reply = (await transport.handler!("RequestVote", VOTE_REQUEST)) as RequestVoteReply;
      assert.is(reply.voteGranted, false);
      assert.is(node.killed, true);
      assert.is(errors.length, 1);
      assert.is(storage.load()?.hardState.votedFor ?? null, null);
    });
  });

  test(`node: an AppendEntries whose write fails (${failWith}) is never acknowledged`, async () => {
    const sim = new Simulation({ seed: 12 });
    await sim.run(async () => {
      const storage = new FailingStorage(sim);
      const { node, transport } = lonelyNode(sim, storage);
      // The term change is written first; let it succeed, then fail the entries.
      await transport.handler!("AppendEntries", { ...APPEND_REQUEST, entries: [] });
      storage.failWith = failWith;
      const reply = (await transport.handler!("AppendEntries", APPEND_REQUEST)) as AppendEntriesReply;
      assert.is(reply.success, false);
      assert.is(node.killed, true);
      assert.is(storage.load()?.entries.length ?? 0, 0);
    });
  });
}

test("node: a request answered after an earlier write failed is not acknowledged", async () => {
  const sim = new Simulation({ seed: 13 });
  await sim.run(async () => {
    const storage = new FailingStorage(sim, 20);
    const { transport } = lonelyNode(sim, storage);
    await transport.handler!("AppendEntries", { ...APPEND_REQUEST, entries: [] });
    storage.failWith = "reject";
    const first = transport.handler!("AppendEntries", APPEND_REQUEST) as Promise<AppendEntriesReply>;
    storage.failWith = undefined; // the second write would succeed, but it waits behind the first
    const second = transport.handler!("AppendEntries", {
      ...APPEND_REQUEST,
      prevLogIndex: 1,
      prevLogTerm: 1,
      entries: [{ term: 1, command: "y" }],
    }) as Promise<AppendEntriesReply>;
    assert.is((await first).success, false);
    assert.is((await second).success, false);
  });
});

test("node: a killed leader does not report itself leader", async () => {
  const sim = new Simulation({ seed: 14 });
  await sim.run(async () => {
    const { node } = lonelyNode(sim, new FailingStorage(sim), { peerCount: 1 });
    while (!node.getState().isLeader) await sim.sleep(10);
    node.kill();
    assert.is(node.getState().isLeader, false);
    assert.is.not(node.role, "leader");
  });
});

for (const how of ["throws", "rejects"] as const) {
  test(`node: a consumer that ${how} stops the node; no later entry is applied`, async () => {
    const sim = new Simulation({ seed: 15 });
    await sim.run(async () => {
      const applied: string[] = [];
      const { node, errors } = lonelyNode(sim, new FailingStorage(sim), {
        peerCount: 1,
        onApply: (m) => {
          if (m.kind !== "command") return;
          if (m.command === "bad") {
            if (how === "throws") throw new Error("cannot apply bad");
            return Promise.reject(new Error("cannot apply bad"));
          }
          applied.push(m.command);
        },
      });
      while (!node.getState().isLeader) await sim.sleep(10);
      node.start("a");
      node.start("bad");
      node.start("c");
      await sim.sleep(100);
      assert.equal(applied, ["a"]);
      assert.is(node.killed, true);
      assert.is((errors[0] as Error).message, "cannot apply bad");
    });
  });
}

test("node: a command that cannot be encoded is refused by start() with a typed error", async () => {
  const sim = new Simulation({ seed: 16 });
  await sim.run(async () => {
    const { node, errors } = lonelyNode(sim, new FailingStorage(sim), { peerCount: 1 });
    while (!node.getState().isLeader) await sim.sleep(10);
    throwsA(() => node.start((() => 1) as unknown as string), UnencodableCommandError);
    assert.equal(node.start("fine"), { index: 2, term: 1, isLeader: true }); // after the no-op
    await sim.sleep(100);
    assert.is(node.killed, false);
    assert.equal(errors, []);
  });
});

test("node: the leader applies the decoded copy that followers receive, not the caller's object", async () => {
  const sim = new Simulation({ seed: 17 });
  await sim.run(async () => {
    class Point {
      constructor(
        readonly x: number,
        readonly y: number,
      ) {}
    }
    const applied: unknown[] = [];
    const { node } = lonelyNode(sim, new FailingStorage(sim), {
      peerCount: 1,
      onApply: (m) => {
        if (m.kind === "command") applied.push(m.command);
      },
    });
    while (!node.getState().isLeader) await sim.sleep(10);
    const point = new Point(1, 2);
    node.start(point as unknown as string);
    await sim.sleep(100);
    assert.is(applied.length, 1);
    assert.is.not(applied[0], point);
    assert.not.instance(applied[0], Point);
    assert.equal({ ...(applied[0] as object) }, { x: 1, y: 2 });
  });
});

test.run();
