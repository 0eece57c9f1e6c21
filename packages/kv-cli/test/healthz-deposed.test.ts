// Real processes on loopback: a leader cut off from its peers stops calling itself healthy.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePorts } from "@raftkit/transport-tcp/testkit";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { ProcessCluster } from "./helpers/process-cluster.js";

// The default --election-timeout is 500-1000 ms: check-quorum deposes a leader that has not heard
// from a majority within one election timeout, so two of them, plus slack for a loaded machine.
const DEPOSED_WITHIN_MS = 4000;

interface Health {
  code: number;
  status: string;
  role: string;
}

async function health(address: string): Promise<Health> {
  const response = await fetch(`http://${address}/healthz`, { signal: AbortSignal.timeout(2000) });
  const body = (await response.json()) as { status: string; role: string };
  return { code: response.status, status: body.status, role: body.role };
}

test("processes: /healthz of a leader cut off from its peers turns 503 (not leader) within two election timeouts", async () => {
  const root = mkdtempSync(join(tmpdir(), "raftkit-healthz-"));
  const [h0, h1, h2, ...ports] = await freePorts(6);
  const http = [h0, h1, h2].map((port) => `127.0.0.1:${port}`);
  const peers = ports.map((port) => `127.0.0.1:${port}`);
  const cluster = new ProcessCluster(
    peers,
    (i) => join(root, `node-${i}`),
    (i) => ["--http", http[i]!],
  );
  const others: number[] = [];
  try {
    for (let i = 0; i < 3; i++) cluster.start(i);
    const leader = await cluster.leader();
    for (let i = 0; i < 3; i++) await cluster.ready(i);
    let before = await health(http[leader]!);
    for (let t = 0; before.code !== 200 && t < 50; t++) before = await health(http[leader]!);
    assert.equal(before, { code: 200, status: "ok", role: "leader" });

    // Freeze both peers: the leader can no longer reach anyone, nor hear that it was replaced.
    others.push(...[0, 1, 2].filter((i) => i !== leader));
    for (const i of others) cluster.signal(i, "SIGSTOP");
    const cutAt = performance.now();
    let now = await health(http[leader]!);
    while (now.code === 200 && performance.now() - cutAt < DEPOSED_WITHIN_MS + 2000) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      now = await health(http[leader]!);
    }
    const tookMs = Math.round(performance.now() - cutAt);
    console.log(`  the cut-off leader reported ${now.code} ${now.status} (${now.role}) after ${tookMs} ms`);
    assert.is(now.code, 503, `still ${now.code} after ${tookMs} ms`);
    assert.is(now.status, "no-leader");
    assert.is.not(now.role, "leader");
    assert.ok(tookMs <= DEPOSED_WITHIN_MS, `unhealthy only after ${tookMs} ms`);
    // It stays unhealthy while cut off.
    await new Promise((resolve) => setTimeout(resolve, 500));
    assert.is((await health(http[leader]!)).code, 503);
  } finally {
    for (const i of others) cluster.signal(i, "SIGCONT");
    await cluster.stopAll();
    rmSync(root, { recursive: true, force: true });
  }
});

test.run();
