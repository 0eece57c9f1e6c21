import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePorts } from "@raftkit/transport-tcp/testkit";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { ProcessCluster } from "./helpers/process-cluster.js";
import { kv, memberList, until } from "./helpers/run-kv.js";

// Endpoint sync on real processes (127.0.0.1, real time; every wait bounded): a cluster grows
// from its three founders to two members added later, then every founder is removed. A client
// given only a surviving follower's address, and a survivor's HTTP API, still reach the leader:
// both learn the members' addresses from the configuration, not from --peers.

test("processes: after every founder is removed, a client given only a surviving follower, and a survivor's HTTP API, still work", async () => {
  const root = mkdtempSync(join(tmpdir(), "raftkit-endpoints-"));
  const ports = await freePorts(7);
  const addresses = ports.slice(0, 5).map((port) => `127.0.0.1:${port}`);
  const http = ports.slice(5).map((port) => `127.0.0.1:${port}`);
  const all = addresses.join(",");
  const founders = addresses.slice(0, 3);
  // Members 3 and 4 join; each knows only the founders from its own --peers. The HTTP API gives
  // up after 5 s (503), so that a failure is quick.
  const cluster = new ProcessCluster(
    founders,
    (i) => join(root, `node-${i}`),
    (i) => (i >= 3 ? ["--join", "--listen", addresses[i]!, "--http", http[i - 3]!, "--timeout", "5000"] : []),
  );
  try {
    for (let i = 0; i < 3; i++) cluster.start(i);
    await cluster.leader();
    for (const id of [3, 4]) {
      cluster.start(id);
      await cluster.ready(id);
      const added = await kv(["member", "add", String(id), addresses[id]!, "--peers", all]);
      assert.is(added.code, 0, added.stderr);
      await until(`member ${id} promoted`, async () =>
        (await memberList(all)).voters.includes(id) ? true : undefined,
      );
    }
    for (const id of [0, 1, 2]) {
      const removed = await kv(["member", "remove", String(id), "--peers", all]);
      assert.is(removed.code, 0, removed.stderr);
      await until(
        `member ${id} stops itself`,
        async () => (cluster.hasExited(id) ? true : undefined),
        15_000,
      );
      if (id !== 1) continue;
      // A founders-only list with two of them gone: founder 2 leads, or names a leader added later.
      const put = await kv(["put", "founders", "still", "--peers", founders.join(",")]);
      assert.is(put.code, 0, put.stderr);
    }
    const { voters, leaderId } = await memberList(all);
    assert.equal(voters, [3, 4]);
    const follower = leaderId === 3 ? 4 : 3;

    // (a) The client's only address is a follower's, and not at its id's position in --peers.
    const only = addresses[follower]!;
    const put = await kv(["put", "greeting", "hello", "--peers", only]);
    assert.is(put.code, 0, put.stderr);
    const got = await kv(["get", "greeting", "--peers", only]);
    assert.equal([got.code, got.stdout], [0, "hello\n"], got.stderr);
    const earlier = await kv(["get", "founders", "--peers", only]);
    assert.equal([earlier.code, earlier.stdout], [0, "still\n"], earlier.stderr);
    const status = await kv(["status", "--json", "--peers", only]);
    assert.is(status.code, 0, status.stderr);
    assert.equal(
      (JSON.parse(status.stdout) as Array<{ member: number }>).map((row) => row.member),
      [3, 4],
      "status shows the configuration's members",
    );

    // (b) Each survivor's HTTP API, although its --peers names only removed founders.
    for (const id of [3, 4]) {
      const base = `http://${http[id - 3]}/v1/keys/from-${id}`;
      const written = await fetch(base, { method: "PUT", body: `via ${id}` });
      assert.is(written.status, 200, await written.text());
      const read = await fetch(base);
      assert.equal(await read.json(), { key: `from-${id}`, value: `via ${id}` });
    }
  } finally {
    await cluster.stopAll();
    rmSync(root, { recursive: true, force: true });
  }
});

test.run();
