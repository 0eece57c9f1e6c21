import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Clerk } from "@raftkit/kvraft";
import { assertLinearizable, type KvInput, type KvOutput, kvModel, type Operation } from "@raftkit/porcupine";
import { endsOf } from "@raftkit/service";
import { TcpTransport } from "@raftkit/transport-tcp";
import { freePorts } from "@raftkit/transport-tcp/testkit";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { kvLoad, untilOperations } from "./helpers/kv-load.js";
import { ProcessCluster } from "./helpers/process-cluster.js";

// Three real server processes on 127.0.0.1, each with a data directory; clients in this process.
// Real time, real sockets, real fsync, real kill -9. Bounded: a few seconds of load, then checks.

function clerkFor(peers: string[]) {
  const tcp = new TcpTransport({
    cluster: "raftkit",
    self: `test-${Math.random()}`,
    peers,
    callTimeoutMs: 500,
    log: () => {},
  });
  return {
    clerk: new Clerk(
      endsOf(
        tcp,
        peers.map((_, i) => i),
      ),
    ),
    close: () => tcp.close(),
  };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

test("processes: kill -9 the leader, then a follower, restart both from disk; the history is linearizable and no acknowledged write is lost; a whole-cluster restart keeps everything", async () => {
  const root = mkdtempSync(join(tmpdir(), "raftkit-procs-"));
  const peers = (await freePorts(3)).map((port) => `127.0.0.1:${port}`);
  const cluster = new ProcessCluster(peers, (i) => join(root, `node-${i}`));
  const history: Array<Operation<KvInput, KvOutput>> = [];
  const acknowledged = new Map<string, string[]>(); // key -> appended tokens whose Append returned
  const t0 = performance.now();
  const now = () => performance.now() - t0;
  let stop = false;
  const clients = Array.from({ length: 4 }, () => clerkFor(peers));
  try {
    for (let i = 0; i < 3; i++) cluster.start(i);
    await cluster.leader();

    const appended = (key: string, token: string) =>
      acknowledged.set(key, [...(acknowledged.get(key) ?? []), token]);
    const work = clients.map(({ clerk }, c) => kvLoad(clerk, c, () => !stop, { history, now, appended }));

    await sleep(800);
    const leader = await cluster.leader();
    await cluster.kill9(leader);
    await sleep(1200);
    cluster.start(leader);
    await sleep(800);
    const current = await cluster.leader();
    const victim = [0, 1, 2].find((i) => i !== current)!; // a follower now
    await cluster.kill9(victim);
    await sleep(800);
    cluster.start(victim);
    await sleep(800);
    await untilOperations(history, 30);
    stop = true;
    await Promise.all(work);

    const ops = history.length;
    assert.ok(ops > 30, `only ${ops} operations completed`);
    const verdict = assertLinearizable(kvModel, history, { timeout: 10_000 }); // throws, naming the page, if illegal
    const checkAll = async (what: string) => {
      for (const [key, tokens] of acknowledged) {
        const value = await clients[0]!.clerk.get(key, { signal: AbortSignal.timeout(10_000) });
        for (const token of tokens)
          assert.ok(value.includes(token), `${what}: acknowledged append ${token} to ${key} lost`);
      }
    };
    await checkAll("after the crashes");
    const before = new Map<string, string>();
    for (const key of acknowledged.keys()) before.set(key, await clients[0]!.clerk.get(key));

    // Whole-cluster restart: a clean stop for two (SIGTERM must exit 0), kill -9 for the third.
    for (let i = 0; i < 3; i++) await cluster.ready(i);
    assert.is(await cluster.terminate(0), 0, cluster.logOf(0).join("\n"));
    assert.is(await cluster.terminate(1), 0);
    await cluster.kill9(2);
    for (let i = 0; i < 3; i++) cluster.start(i);
    await cluster.leader();
    for (const [key, value] of before) {
      assert.is(
        await clients[0]!.clerk.get(key, { signal: AbortSignal.timeout(10_000) }),
        value,
        `${key} after a full restart`,
      );
    }
    console.log(
      `  processes: ${ops} operations, ${[...acknowledged.values()].flat().length} acknowledged appends, linearizability: ${verdict}`,
    );
  } finally {
    stop = true;
    await cluster.stopAll();
    await Promise.all(clients.map((c) => c.close()));
    rmSync(root, { recursive: true, force: true });
  }
});

test.run();
