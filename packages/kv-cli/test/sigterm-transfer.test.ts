// Real processes on loopback: a leader stopped with SIGTERM hands its leadership over first.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePorts } from "@raftkit/transport-tcp/testkit";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { ProcessCluster } from "./helpers/process-cluster.js";

test("processes: a leader stopped with SIGTERM hands leadership to another member before it exits", async () => {
  const root = mkdtempSync(join(tmpdir(), "raftkit-sigterm-"));
  const peers = (await freePorts(3)).map((port) => `127.0.0.1:${port}`);
  const cluster = new ProcessCluster(peers, (i) => join(root, `node-${i}`));
  try {
    for (let i = 0; i < 3; i++) cluster.start(i);
    const leader = await cluster.leader();
    const log = cluster.logOf(leader);
    assert.is(await cluster.terminate(leader), 0);
    const handed = log.find((line) => line.includes("handed leadership to member"));
    assert.ok(handed, `no hand-over in the leader's log:\n${log.slice(-6).join("\n")}`);
    const to = Number(/member (\d+) before stopping/.exec(handed)?.[1]);
    assert.ok(to !== leader && to >= 0 && to < 3, handed);
    // The member it named leads next.
    assert.is(await cluster.leader(), to);
  } finally {
    await cluster.stopAll();
    rmSync(root, { recursive: true, force: true });
  }
});

test.run();
