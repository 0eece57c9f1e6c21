import { test } from "uvu";
import * as assert from "uvu/assert";
import { EncodeError, FrameSizeError, TcpTransport, TransportConfigError } from "../src/index.js";
import { freePorts } from "../src/testkit/index.js";
import { captureLog, eventually, sleep, startCluster } from "./helpers.js";

test("calls reach the peer's handler and carry the reply back", async () => {
  const { nodes, close } = await startCluster(3);
  for (const [id, node] of nodes.entries()) node.listen((method, args) => ({ at: id, method, args }));
  try {
    const r = await nodes[0]!.call(2, "Echo.Ping", { n: 1, bytes: new Uint8Array([1, 2, 3]) });
    assert.equal(r, {
      ok: true,
      reply: { at: 2, method: "Echo.Ping", args: { n: 1, bytes: new Uint8Array([1, 2, 3]) } },
    });
    const stats = nodes[0]!.stats();
    assert.is(stats.calls, 1);
    assert.ok(stats.bytesSent > 0 && stats.bytesReceived > 0);
    assert.is(nodes[2]!.stats().served, 1);
  } finally {
    await close();
  }
});

test("many calls in flight on one connection come back matched to their requests", async () => {
  // What is checked is the matching, not speed: on a loaded machine (load ~25) the connect and 500
  // replies took longer than the 1 s / 2 s defaults and calls came back { ok: false }.
  const { nodes, close } = await startCluster(2, { connectTimeoutMs: 10_000, callTimeoutMs: 30_000 });
  // Replies are sent in a scrambled order, so only the request ids can match them up.
  nodes[1]!.listen(async (_method, args) => {
    const n = args as number;
    await sleep((n * 7) % 13);
    return n * n;
  });
  try {
    const results = await Promise.all(Array.from({ length: 500 }, (_, n) => nodes[0]!.call(1, "Sq", n)));
    for (const [n, r] of results.entries()) assert.equal(r, { ok: true, reply: n * n });
  } finally {
    await close();
  }
});

test("a peer nobody listens at, or an unknown peer id, fails fast without throwing", async () => {
  const [port] = await freePorts(1);
  const { log, lines } = captureLog();
  // Timeouts of 30 s: "fast" is then far from any timeout, and far beyond a busy machine's delays
  // (a bound of 1 s, the connect timeout, told neither apart from a slow refusal).
  const slow = { callTimeoutMs: 30_000, connectTimeoutMs: 30_000 };
  const t = new TcpTransport({ cluster: "test", self: "client", peers: [`127.0.0.1:${port}`], log, ...slow });
  try {
    const t0 = performance.now();
    assert.equal(await t.call(0, "X", 1), { ok: false });
    assert.equal(await t.call(7, "X", 1), { ok: false });
    const took = performance.now() - t0;
    assert.ok(took < 10_000, `failed after ${took} ms, not at once`);
    // In backoff now: the next call fails at once rather than queueing behind a dead peer.
    assert.equal(await t.call(0, "X", 1), { ok: false });
    assert.ok(lines.some((l) => l.level === "info" && /ECONNREFUSED/.test(l.message)));
    assert.is(t.stats().failedCalls, 3);
  } finally {
    await t.close();
  }
});

test("a call with no reply in time resolves { ok: false }", async () => {
  // The default timeout 30 s: a call that ignored its own 150 ms would wait that long.
  const { nodes, close } = await startCluster(2, { callTimeoutMs: 30_000 });
  nodes[1]!.listen(() => new Promise(() => {}));
  try {
    const t0 = performance.now();
    assert.equal(await nodes[0]!.call(1, "Hang", null, 150), { ok: false });
    const waited = performance.now() - t0;
    assert.ok(waited >= 140 && waited < 10_000, `waited ${waited} ms`);
  } finally {
    await close();
  }
});

test("calls with different timeouts on one link each fail at their own deadline, in any order of calling", async () => {
  // One timer per link serves every call: a short call made after a long one must still end on
  // time, and the long one must not end with it.
  const { nodes, close } = await startCluster(2);
  nodes[1]!.listen(() => new Promise(() => {}));
  try {
    const t0 = performance.now();
    const ended = (p: Promise<unknown>) => p.then((r) => ({ r, at: performance.now() - t0 }));
    // Deadlines 3 s apart: a timer late by a busy machine's few hundred ms cannot blur them (with
    // 150, 600 and 1500 ms, 'middle < 1400 ms' left 800 ms of slack).
    const long = ended(nodes[0]!.call(1, "Hang", 1, 6150));
    const short = ended(nodes[0]!.call(1, "Hang", 2, 150));
    const middle = ended(nodes[0]!.call(1, "Hang", 3, 3150));
    const [s, m, l] = await Promise.all([short, middle, long]);
    for (const x of [s, m, l]) assert.equal(x.r, { ok: false });
    assert.ok(s.at >= 140 && s.at < 3000, `short ended at ${s.at} ms`);
    assert.ok(m.at >= 3140 && m.at < 6000, `middle ended at ${m.at} ms`);
    assert.ok(l.at >= 6140, `long ended at ${l.at} ms`);
  } finally {
    await close();
  }
});

test("a call gets 1 ms more per KiB of request: a slow answer to 4 MiB arrives, to 100 bytes it does not", async () => {
  const { nodes, close } = await startCluster(2, { callTimeoutMs: 200 });
  // The peer answers after 700 ms: past the timeout, within the allowance for 4 MiB (+4096 ms).
  nodes[1]!.listen(async (_m, args) => {
    await sleep(700);
    return (args as Uint8Array).length;
  });
  try {
    assert.equal(await nodes[0]!.call(1, "Slow", new Uint8Array(100)), { ok: false });
    assert.equal(await nodes[0]!.call(1, "Slow", new Uint8Array(4 * 1024 * 1024)), {
      ok: true,
      reply: 4 * 1024 * 1024,
    });
  } finally {
    await close();
  }
});

test("a handler error or a missing handler fails the call; the connection stays usable", async () => {
  const { log, lines } = captureLog();
  const { nodes, close } = await startCluster(2, { log });
  try {
    assert.equal(await nodes[0]!.call(1, "Any", 1), { ok: false }, "no handler registered yet");
    nodes[1]!.listen((method) => {
      if (method === "Bad") throw new Error("handler exploded");
      return "fine";
    });
    assert.equal(await nodes[0]!.call(1, "Bad", 1), { ok: false });
    assert.equal(await nodes[0]!.call(1, "Good", 1), { ok: true, reply: "fine" });
    assert.ok(lines.some((l) => /handler exploded/.test(l.message)));
  } finally {
    await close();
  }
});

test("large messages cross intact; a request over the frame limit is a failed call, not sent", async () => {
  const { log, lines } = captureLog();
  const { nodes, addresses, close } = await startCluster(2, { maxFrameBytes: 16 * 1024 * 1024, log });
  nodes[1]!.listen((_m, args) => args);
  try {
    const big = new Uint8Array(12 * 1024 * 1024);
    for (let i = 0; i < big.length; i += 4096) big[i] = i % 251;
    const r = await nodes[0]!.call(1, "Echo", big, 10_000);
    assert.ok(r.ok);
    if (r.ok) assert.ok(Buffer.from(r.reply as Uint8Array).equals(Buffer.from(big)));
    const sentBefore = nodes[0]!.stats().bytesSent;
    assert.equal(await nodes[0]!.call(1, "Echo", new Uint8Array(17 * 1024 * 1024)), { ok: false });
    assert.is(nodes[0]!.stats().bytesSent, sentBefore);
    assert.ok(lines.some((l) => l.level === "warn" && /over the limit of 16777216 bytes/.test(l.message)));
    // The link still works.
    assert.equal(await nodes[0]!.call(1, "Echo", 7), { ok: true, reply: 7 });
    // A client is told at the call site.
    const client = new TcpTransport({
      cluster: "test",
      self: "client",
      peers: addresses,
      maxFrameBytes: 1024,
    });
    try {
      await client.call(1, "Echo", new Uint8Array(2048));
      assert.unreachable();
    } catch (error) {
      assert.instance(error, FrameSizeError);
    } finally {
      await client.close();
    }
  } finally {
    await close();
  }
});

test("arguments that cannot be encoded reject at the call site", async () => {
  const t = new TcpTransport({ cluster: "test", self: "client", peers: ["127.0.0.1:1"] });
  try {
    await t.call(0, "X", { f: () => 1 });
    assert.unreachable();
  } catch (error) {
    assert.instance(error, EncodeError);
    assert.match((error as Error).message, /arguments of X/);
  } finally {
    await t.close();
  }
});

test("a restarted peer is reached again after backoff", async () => {
  const { nodes, addresses, close } = await startCluster(2, { backoff: { initialMs: 20, maxMs: 100 } });
  nodes[1]!.listen(() => "first");
  try {
    assert.equal(await nodes[0]!.call(1, "Who", null), { ok: true, reply: "first" });
    await nodes[1]!.close();
    assert.equal(await nodes[0]!.call(1, "Who", null), { ok: false });
    const again = new TcpTransport({ cluster: "test", self: 1, listen: addresses[1]! });
    again.listen(() => "second");
    await again.start();
    try {
      await eventually(async () => (await nodes[0]!.call(1, "Who", null)).ok, 3000, "reconnect");
      assert.equal(await nodes[0]!.call(1, "Who", null), { ok: true, reply: "second" });
    } finally {
      await again.close();
    }
  } finally {
    await close();
  }
});

test("close() fails calls in flight and releases the port", async () => {
  const { nodes, addresses, close } = await startCluster(2);
  nodes[1]!.listen(() => new Promise(() => {}));
  const pending = nodes[0]!.call(1, "Hang", null, 30_000);
  await sleep(50);
  const t0 = performance.now();
  await nodes[0]!.close();
  assert.equal(await pending, { ok: false });
  const took = performance.now() - t0;
  assert.ok(took < 10_000, `failed ${took} ms after close(), not at once (its timeout is 30 s)`);
  assert.equal(await nodes[0]!.call(1, "After", null), { ok: false });
  await nodes[1]!.close();
  const reuse = new TcpTransport({ cluster: "test", self: 1, listen: addresses[1]! });
  assert.ok(await reuse.start(), "the port can be bound again");
  await reuse.close();
  await close();
});

test("close() still delivers what was sent just before it (a removed leader's last TimeoutNow)", async () => {
  const { nodes, close } = await startCluster(2);
  const received: string[] = [];
  nodes[1]!.listen((method) => {
    received.push(method);
    return null;
  });
  try {
    assert.equal(await nodes[0]!.call(1, "First", null), { ok: true, reply: null });
    // Sent and closed in one turn of the event loop: the request is written, not yet flushed.
    const last = nodes[0]!.call(1, "Last", null);
    await nodes[0]!.close();
    assert.equal(await last, { ok: false }, "a call in flight at close() fails");
    await eventually(() => received.includes("Last"), 5000, "the peer received the last request");
  } finally {
    await close();
  }
});

test("the handshake refuses another cluster and a stale address (wrong node id)", async () => {
  const server = captureLog();
  const { nodes, addresses, close } = await startCluster(2, { log: server.log });
  nodes[1]!.listen(() => "ok");
  const client = captureLog();
  const stranger = new TcpTransport({ cluster: "other", self: 0, peers: addresses, log: client.log });
  // A node that believes node 0 lives at node 1's address.
  const confused = new TcpTransport({ cluster: "test", self: 5, peers: [addresses[1]!], log: client.log });
  let served = 0;
  nodes[1]!.listen(() => {
    served++;
    return "ok";
  });
  try {
    assert.equal(await stranger.call(1, "X", 1), { ok: false });
    assert.equal(await confused.call(0, "X", 1), { ok: false });
    assert.is(served, 0);
    assert.ok(server.lines.some((l) => /cluster "other" is not "test"/.test(l.message)));
    assert.ok(server.lines.some((l) => /this is node 1, not node 0/.test(l.message)));
    assert.ok(client.lines.some((l) => /refused us/.test(l.message)));
    assert.equal(await nodes[0]!.call(1, "X", 1), { ok: true, reply: "ok" });
  } finally {
    await Promise.all([stranger.close(), confused.close(), close()]);
  }
});

test("bad options are refused with a typed error", () => {
  const typed = (error: unknown) => error instanceof TransportConfigError;
  assert.throws(() => new TcpTransport({ cluster: "", self: 0 }), typed);
  assert.throws(() => new TcpTransport({ cluster: "c", self: 0, peers: ["nohost"] }), /expected host:port/);
  assert.throws(() => new TcpTransport({ cluster: "c", self: 0, peers: ["h:99999"] }), typed);
  assert.throws(() => new TcpTransport({ cluster: "c", self: 0, callTimeoutMs: -1 }), /callTimeoutMs/);
});

test.run();
