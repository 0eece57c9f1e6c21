import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePorts } from "@raftkit/transport-tcp/testkit";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { ProcessCluster } from "./helpers/process-cluster.js";
import { kv, sleep } from "./helpers/run-kv.js";

// raftkit-kv processes on 127.0.0.1: the HTTP API's "no quorum" counts the configuration's
// voters, not --peers (the founders). Real time and sockets; every wait is bounded.

test("processes: a cluster grown to 4 voters with 2 down answers 503 no_quorum, naming the added member too", async () => {
  const root = mkdtempSync(join(tmpdir(), "raftkit-quorum-"));
  const ports = await freePorts(5);
  const addresses = ports.slice(0, 4).map((port) => `127.0.0.1:${port}`);
  const founders = addresses.slice(0, 3);
  const httpAt = `127.0.0.1:${ports[4]}`;
  const cluster = new ProcessCluster(
    founders,
    (i) => join(root, `node-${i}`),
    (i) => [
      ...(i === 3 ? ["--join", "--listen", addresses[3]!] : []),
      ...(i === 0 ? ["--http", httpAt, "--timeout", "4000"] : []),
    ],
  );
  try {
    for (let i = 0; i < 3; i++) cluster.start(i);
    await cluster.leader();
    cluster.start(3);
    await cluster.ready(3);
    const added = await kv(["member", "add", "3", addresses[3]!, "--peers", founders.join(",")]);
    assert.is(added.code, 0, added.stderr);
    const deadline = performance.now() + 30_000;
    for (;;) {
      const list = await kv(["member", "list", "--json", "--peers", founders.join(",")]);
      if (list.code === 0 && JSON.parse(list.stdout).membership.voters.includes(3)) break;
      if (performance.now() > deadline)
        throw new Error(`member 3 not promoted: ${list.stdout}${list.stderr}`);
      await sleep(200);
    }
    // Voters 0,1,2,3 with 1 and 3 down: 2 of 4 reachable, 3 needed. Counting --peers (0,1,2)
    // would find 2 of 3 and wait for the request's timeout instead ("unavailable").
    await cluster.kill9(3);
    await cluster.kill9(1);
    let body: { error?: string; message?: string } = {};
    for (let attempt = 0; attempt < 3 && body.error !== "no_quorum"; attempt++) {
      const response = await fetch(`http://${httpAt}/v1/keys/k`, {
        method: "PUT",
        body: "v",
        signal: AbortSignal.timeout(15_000),
      });
      body = (await response.json()) as typeof body;
      assert.is(response.status, 503, JSON.stringify(body));
    }
    assert.is(body.error, "no_quorum", body.message);
    assert.match(body.message ?? "", `member 3 at ${addresses[3]}`);
    assert.match(body.message ?? "", `member 1 at ${addresses[1]}`);
  } finally {
    await cluster.stopAll();
    rmSync(root, { recursive: true, force: true });
  }
});

test.run();
