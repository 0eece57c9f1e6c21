import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { MemoryPersister } from "@raftkit/raft";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { eventually, sleep } from "./helpers.js";
import { TcpRaftCluster } from "./raft-cluster.js";

// Raft over real sockets on 127.0.0.1, on the real clock: the same RaftNode as in the simulated
// suites, with TcpTransport underneath. Each test is bounded by the waits in the harness.

const commands = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `${prefix}-${i}`);

test("raft over TCP: a leader is elected and every member applies the same commands in order", async () => {
  const cluster = await TcpRaftCluster.start(3);
  try {
    const batch = commands("a", 20);
    for (const c of batch) await cluster.propose(c);
    await cluster.applied(batch, [0, 1, 2]);
  } finally {
    await cluster.stop();
  }
});

test("raft over TCP: the leader crashes, the others elect a new one and go on; it rejoins and catches up", async () => {
  const cluster = await TcpRaftCluster.start(3);
  try {
    const first = commands("before", 5);
    for (const c of first) await cluster.propose(c);
    await cluster.applied(first, [0, 1, 2]);
    const old = await cluster.leader();
    const storage = (await cluster.crash(old)) as MemoryPersister<string>;
    const others = [0, 1, 2].filter((i) => i !== old);
    const second = commands("after", 5);
    for (const c of second) await cluster.propose(c, others);
    await cluster.applied([...first, ...second], others);
    await cluster.startMember(old, storage.copy());
    await cluster.applied([...first, ...second], [0, 1, 2]);
  } finally {
    await cluster.stop();
  }
});

test("raft over TCP: a leader cut off from the others is replaced; its stray entries are overwritten when it returns", async () => {
  const cluster = await TcpRaftCluster.start(3);
  try {
    await cluster.propose("x");
    await cluster.applied(["x"], [0, 1, 2]);
    const old = await cluster.leader();
    await cluster.members[old]!.cable.cut();
    for (const c of commands("lost", 3)) cluster.members[old]!.node.start(c); // can never commit
    const others = [0, 1, 2].filter((i) => i !== old);
    const kept = commands("kept", 5);
    for (const c of kept) await cluster.propose(c, others);
    await cluster.applied(["x", ...kept], others);
    await sleep(100);
    assert.is(cluster.members[old]!.applied.length, 1, "the cut-off leader committed nothing alone");
    await cluster.members[old]!.cable.plug();
    await cluster.propose("healed");
    await cluster.applied(["x", ...kept, "healed"], [0, 1, 2]);
  } finally {
    await cluster.stop();
  }
});

test("raft over TCP with file storage: a whole-cluster restart keeps every committed command", async () => {
  const root = mkdtempSync(join(tmpdir(), "raftkit-cluster-"));
  const dirs = [0, 1, 2].map((i) => join(root, `node-${i}`));
  try {
    const cluster = await TcpRaftCluster.start(3, dirs);
    const batch = commands("durable", 30);
    await Promise.all(batch.map((c) => cluster.propose(c)));
    // Concurrent proposals commit in some order; every member must apply that same order.
    const leader = await cluster.leader();
    await eventually(
      () => cluster.members[leader]!.applied.length >= batch.length,
      5000,
      "the leader to apply the batch",
    );
    const committed = cluster.members[leader]!.applied.slice(0, batch.length);
    assert.equal([...committed].sort(), [...batch].sort());
    await cluster.applied(committed, [0, 1, 2]);
    await cluster.stop();
    for (let i = 0; i < 3; i++) await cluster.startMember(i, undefined);
    await cluster.propose("after-restart");
    await cluster.applied([...committed, "after-restart"], [0, 1, 2], 10_000);
    await cluster.stop();
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test.run();
