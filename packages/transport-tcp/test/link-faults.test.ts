import { test } from "uvu";
import * as assert from "uvu/assert";
import { TcpTransport, type TcpTransportOptions } from "../src/index.js";
import { FaultyProxy } from "./helpers/faulty-proxy.js";
import { captureLog, sleep } from "./helpers.js";

/**
 * Real sockets on 127.0.0.1: member 0 calls member 1 through a proxy that can fail silently.
 * Bounds are generous (the machine is shared); what is checked is that the link comes back at
 * all, and a negative control shows that without dead-link detection it does not.
 */
async function throughProxy(options: Partial<TcpTransportOptions>) {
  const { log, lines } = captureLog();
  const server = new TcpTransport({ cluster: "faults", self: 1, listen: "127.0.0.1:0", log });
  server.listen((_method, args) => args);
  const bound = await server.start();
  const proxy = new FaultyProxy(bound!.port);
  const via = await proxy.start();
  const client = new TcpTransport({
    cluster: "faults",
    self: 0,
    listen: "127.0.0.1:0",
    peers: ["127.0.0.1:1", via],
    log,
    ...options,
  });
  await client.start();
  return {
    client,
    proxy,
    lines,
    async close() {
      await client.close();
      await server.close();
      await proxy.close();
    },
  };
}

/** Calls every 50 ms until one succeeds; the time it took, or undefined after `withinMs`. */
async function msUntilAnswered(client: TcpTransport, withinMs: number): Promise<number | undefined> {
  const start = performance.now();
  while (performance.now() - start < withinMs) {
    if ((await client.call(1, "Echo", "ping")).ok) return performance.now() - start;
    await sleep(50);
  }
  return undefined;
}

const CALL_TIMEOUT_MS = 200;
const RECONNECT_BOUND_MS = 5000;

for (const deadLinkTimeouts of [3, 0]) {
  const detects = deadLinkTimeouts > 0;
  test(`a silently dead link ${detects ? "is torn down and reconnected once the partition heals" : "stays dead without detection (negative control)"}`, async () => {
    const { client, proxy, lines, close } = await throughProxy({
      callTimeoutMs: CALL_TIMEOUT_MS,
      deadLinkTimeouts,
    });
    try {
      assert.equal(await client.call(1, "Echo", 1), { ok: true, reply: 1 });
      proxy.blackhole();
      for (let i = 0; i < 4; i++) assert.equal(await client.call(1, "Echo", i), { ok: false });
      proxy.heal();
      const ms = await msUntilAnswered(client, RECONNECT_BOUND_MS);
      if (detects) {
        assert.ok(ms !== undefined, `no answer within ${RECONNECT_BOUND_MS} ms of the partition healing`);
        assert.ok(lines.some((l) => /no reply to 3 calls in a row; reconnecting/.test(l.message)));
      } else {
        assert.is(ms, undefined);
      }
    } finally {
      await close();
    }
  });
}

test("a peer that stops reading: queued bytes stay under maxQueuedBytes and further calls fail at once", async () => {
  const maxQueuedBytes = 4 * 1024 * 1024;
  const { client, proxy, lines, close } = await throughProxy({ callTimeoutMs: 60_000, maxQueuedBytes });
  try {
    assert.ok((await client.call(1, "Echo", 1)).ok);
    proxy.stall();
    const chunk = new Uint8Array(256 * 1024);
    const calls: Promise<unknown>[] = [];
    let refusedAt: number | undefined;
    let peak = 0;
    // Far more than the kernel's loopback buffers and the bound together.
    for (let i = 0; i < 400 && refusedAt === undefined; i++) {
      const started = performance.now();
      const call = client.call(1, "Echo", chunk);
      calls.push(call);
      const settledAt = await Promise.race([
        call.then(() => performance.now()),
        sleep(20).then(() => undefined),
      ]);
      if (settledAt !== undefined) refusedAt = settledAt - started;
      peak = Math.max(peak, client.stats().queuedBytes);
      await sleep(1);
    }
    assert.ok(refusedAt !== undefined, "no call was refused: nothing bounds the queue");
    assert.ok(peak <= maxQueuedBytes + chunk.length + 64, `peak ${peak} queued bytes`);
    assert.ok(lines.some((l) => /bytes queued for peer 1/.test(l.message)));
  } finally {
    await close();
  }
});

test.run();
