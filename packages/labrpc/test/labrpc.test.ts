import { test } from "uvu";
import * as assert from "uvu/assert";
import {
  EncodeError,
  Network,
  RemoteHandlerError,
  type Simulation,
  simTest,
  UnknownMethodError,
} from "../src/index.js";
import { junkServer } from "./junk-server.js";

/** A network with the junk server as "server99" and one connected, enabled end. */
function setup(sim: Simulation) {
  const net = new Network({ clock: sim, random: sim.random });
  const junk = junkServer(sim);
  net.addServer("server99", junk.server);
  const end = net.makeEnd("end1-99");
  net.connect("end1-99", "server99");
  net.enable("end1-99", true);
  return { net, junk, end };
}

test(
  "TestBasic: replies are correct",
  simTest(async (sim) => {
    const { end } = setup(sim);
    assert.equal(await end.call("JunkServer.Handler2", 111), { ok: true, reply: "handler2-111" });
    assert.equal(await end.call("JunkServer.Handler1", "9099"), { ok: true, reply: 9099 });
  }),
);

test(
  "TestTypes: object and primitive arguments both arrive as deep copies",
  simTest(async (sim) => {
    const { end } = setup(sim);
    assert.equal(await end.call("JunkServer.Handler4", { x: "a" }), { ok: true, reply: { x: "pointer:a" } });
    assert.equal(await end.call("JunkServer.Handler5", 7), { ok: true, reply: { x: "value:7" } });
    const args = { items: [1, 2] };
    const result = await end.call<{ items: number[] }>("JunkServer.Mutate", args);
    assert.equal(args.items, [1, 2], "the handler must not see the caller's object");
    assert.ok(result.ok);
    if (result.ok) assert.equal(result.reply.items, [1, 2, 99]);
  }),
);

test(
  "TestDisconnect: no reply while the end is disabled, replies once enabled",
  simTest(async (sim) => {
    const { net, junk, end } = setup(sim);
    net.enable("end1-99", false);
    const before = sim.now();
    assert.equal(await end.call("JunkServer.Handler2", 111), { ok: false });
    assert.ok(sim.now() - before < 100, "an unreachable call fails within 0-99 ms without long delays");
    assert.equal(junk.log2, [], "the handler must not run");
    net.enable("end1-99", true);
    assert.equal(await end.call("JunkServer.Handler1", "9099"), { ok: true, reply: 9099 });
  }),
);

test(
  "TestCounts: every RPC that reaches a server is counted",
  simTest(async (sim) => {
    const { net, end } = setup(sim);
    for (let i = 0; i < 17; i++) {
      assert.equal(await end.call("JunkServer.Handler2", i), { ok: true, reply: `handler2-${i}` });
    }
    assert.is(net.getCount("server99"), 17);
    assert.is(net.getTotalCount(), 17);
  }),
);

test(
  "TestBytes: encoded sizes are counted, raw payload is a lower bound, overhead stays small",
  simTest(async (sim) => {
    const { net, end } = setup(sim);
    const arg = "x".repeat(284);
    for (let i = 0; i < 17; i++) await end.call("JunkServer.Handler6", arg);
    const n0 = net.getTotalBytes();
    // 17 × 284 raw bytes out; cbor-x adds a 3-byte string header per request and a 3-byte reply.
    assert.ok(n0 >= 4828 && n0 <= 5100, `wrong byte count ${n0}, expected 4828..5100`);
    for (let i = 0; i < 17; i++) await end.call("JunkServer.Handler7", 107);
    const n1 = net.getTotalBytes() - n0;
    // 17 × 107 raw bytes back (1819); 2-byte int arguments and 2-byte string headers on top.
    assert.ok(n1 >= 1819 && n1 <= 2000, `wrong byte count ${n1}, expected 1819..2000`);
  }),
);

test(
  "TestConcurrentMany: 20 ends × 10 sequential calls, concurrently",
  simTest(async (sim) => {
    const { net } = setup(sim);
    const clients = Array.from({ length: 20 }, async (_, i) => {
      const end = net.makeEnd(`end-${i}`);
      net.connect(end.name, "server99");
      net.enable(end.name, true);
      let ok = 0;
      for (let j = 0; j < 10; j++) {
        const r = await end.call("JunkServer.Handler2", 100 * i + j);
        if (r.ok && r.reply === `handler2-${100 * i + j}`) ok++;
      }
      return ok;
    });
    const total = (await Promise.all(clients)).reduce((a, b) => a + b, 0);
    assert.is(total, 200);
    assert.is(net.getCount("server99"), 200);
  }),
);

test(
  "TestUnreliable: some calls succeed and some fail",
  simTest(async (sim) => {
    const { net } = setup(sim);
    net.setReliable(false);
    const results = await Promise.all(
      Array.from({ length: 300 }, async (_, i) => {
        const end = net.makeEnd(`end-${i}`);
        net.connect(end.name, "server99");
        net.enable(end.name, true);
        const r = await end.call("JunkServer.Handler2", i);
        if (r.ok) assert.is(r.reply, `handler2-${i}`);
        return r.ok;
      }),
    );
    const ok = results.filter(Boolean).length;
    assert.ok(ok > 0 && ok < 300, `expected some but not all to succeed, ${ok} of 300 did`);
    // 10% of requests and 10% of replies are lost: about 81% arrive.
    assert.ok(ok > 200 && ok < 280, `success rate far from 81%: ${ok}/300`);
  }),
);

test(
  "TestConcurrentOne: 20 concurrent calls on one end",
  simTest(async (sim) => {
    const { net, junk, end } = setup(sim);
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) => end.call("JunkServer.Handler2", 100 + i)),
    );
    for (const [i, r] of results.entries()) assert.equal(r, { ok: true, reply: `handler2-${100 + i}` });
    assert.is(junk.log2.length, 20);
    assert.is(net.getCount("server99"), 20);
  }),
);

test(
  "TestRegression1: calls made while disabled do not delay a later call",
  simTest(async (sim) => {
    const { net, junk, end } = setup(sim);
    net.setLongDelays(true);
    net.enable("end1-99", false);
    const early = Array.from({ length: 20 }, (_, i) => end.call("JunkServer.Handler2", 100 + i));
    await sim.sleep(100);
    net.enable("end1-99", true);
    const t0 = sim.now();
    assert.equal(await end.call("JunkServer.Handler2", 99), { ok: true, reply: "handler2-99" });
    assert.ok(sim.now() - t0 <= 30, `the call took ${sim.now() - t0} ms, more than 30 ms`);
    assert.equal(junk.log2, [99]);
    assert.is(net.getCount("server99"), 1);
    for (const r of await Promise.all(early)) assert.equal(r, { ok: false });
  }),
);

test(
  "TestKilled: deleting the server fails a call whose handler never returns",
  simTest(async (sim) => {
    const { net, end } = setup(sim);
    let done: boolean | undefined;
    end.call("JunkServer.Handler3", 99).then((r) => {
      done = r.ok;
    });
    await sim.sleep(1000);
    assert.is(done, undefined, "the call must still be pending after 1 s");
    await sim.sleep(100);
    assert.is(done, undefined, "the call must still be pending after 1.1 s");
    net.deleteServer("server99");
    const t0 = sim.now();
    while (done === undefined && sim.now() - t0 < 100) await sim.sleep(1);
    assert.is(done, false, "the call must fail within 100 ms of the server's deletion");
  }),
);

test(
  "a reply is suppressed when the server is deleted while its handler runs",
  simTest(async (sim) => {
    const { net, end } = setup(sim);
    const pending = end.call("JunkServer.Handler3", 5);
    await sim.sleep(10);
    net.addServer("server99", junkServer(sim).server); // replaced: the old instance is gone
    assert.equal(await pending, { ok: false });
    net.enable("end1-99", false);
    net.enable("end1-99", true);
    assert.equal(await end.call("JunkServer.Handler6", "abc"), { ok: true, reply: 3 });
  }),
);

test(
  "long delays: unreachable calls fail after 0-7 s instead of 0-100 ms",
  simTest(async (sim) => {
    const { net } = setup(sim);
    const end = net.makeEnd("nowhere");
    net.connect("nowhere", "missing-server");
    net.enable("nowhere", true);
    const delays = async () => {
      const out: number[] = [];
      for (let i = 0; i < 40; i++) {
        const t0 = sim.now();
        assert.equal(await end.call("JunkServer.Handler2", 1), { ok: false });
        out.push(sim.now() - t0);
      }
      return out;
    };
    const short = await delays();
    assert.ok(Math.max(...short) < 100);
    net.setLongDelays(true);
    const long = await delays();
    assert.ok(Math.max(...long) < 7000 && Math.max(...long) >= 1000, `long delays ${Math.max(...long)}`);
    net.setLongDelays(false);
    assert.ok(Math.max(...(await delays())) < 100);
  }),
);

test(
  "long reordering: about 2/3 of replies arrive 200-2200 ms late, and bytes count at delivery",
  simTest(async (sim) => {
    const { net, end } = setup(sim);
    net.setLongReordering(true);
    const latencies = await Promise.all(
      Array.from({ length: 300 }, async (_, i) => {
        const t0 = sim.now();
        const r = await end.call("JunkServer.Handler2", i);
        assert.ok(r.ok);
        return sim.now() - t0;
      }),
    );
    const late = latencies.filter((ms) => ms >= 200);
    assert.ok(latencies.every((ms) => ms === 0 || (ms >= 200 && ms <= 2200)));
    assert.ok(late.length > 160 && late.length < 240, `${late.length} of 300 late, expected about 200`);
  }),
);

test(
  "TestLongDelayRace: toggling long delays while calls are in flight",
  simTest(async (sim) => {
    const { net } = setup(sim);
    const end = net.makeEnd("toggle");
    net.connect("toggle", "server99");
    const calls = Array.from({ length: 50 }, async (_, i) => {
      await sim.sleep(i * 10);
      net.setLongDelays(i % 2 === 0);
      net.enable("toggle", i % 3 !== 0);
      return end.call("JunkServer.Handler2", i);
    });
    const results = await Promise.all(calls);
    results.forEach((r, i) => {
      if (i % 3 === 0) assert.equal(r, { ok: false });
    });
    assert.ok(results.some((r) => r.ok));
  }),
);

test(
  "an unknown service or method is a programming error listing the valid names",
  simTest(async (sim) => {
    const { end } = setup(sim);
    for (const method of ["JunkServer.Nope", "Nope.Handler1", "nodot"]) {
      try {
        await end.call(method, 1);
        assert.unreachable(`${method} should be rejected`);
      } catch (error) {
        assert.instance(error, UnknownMethodError);
        assert.match((error as Error).message, /JunkServer\.Handler1/);
        assert.match((error as Error).message, new RegExp(`"${method}"`));
      }
    }
  }),
);

test(
  "arguments that cannot be encoded fail loudly at the call site; nothing is sent",
  simTest(async (sim) => {
    const { net, end } = setup(sim);
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    for (const bad of [() => 1, { f: Symbol("s") }, cyclic]) {
      try {
        await end.call("JunkServer.Handler2", bad);
        assert.unreachable("should reject");
      } catch (error) {
        assert.instance(error, EncodeError);
        assert.match((error as Error).message, /arguments of JunkServer\.Handler2/);
      }
    }
    assert.is(net.getTotalCount(), 0);
  }),
);

test(
  "a handler that throws rejects the call with RemoteHandlerError",
  simTest(async (sim) => {
    const { end } = setup(sim);
    try {
      await end.call("JunkServer.Throw", null);
      assert.unreachable();
    } catch (error) {
      assert.instance(error, RemoteHandlerError);
      assert.match((error as Error).message, /boom/);
    }
  }),
);

test(
  "ends: duplicate names are refused, deleted ends fail, cleanup fails everything",
  simTest(async (sim) => {
    const { net, end } = setup(sim);
    assert.throws(() => net.makeEnd("end1-99"), /already exists/);
    const pending = end.call("JunkServer.Handler3", 1);
    net.deleteEnd("end1-99");
    assert.equal(await pending, { ok: false });
    assert.equal(await end.call("JunkServer.Handler2", 1), { ok: false });
    const other = net.makeEnd("end2");
    net.connect("end2", "server99");
    net.enable("end2", true);
    const stuck = other.call("JunkServer.Handler3", 1);
    net.cleanup();
    assert.equal(await stuck, { ok: false });
    const t0 = sim.now();
    assert.equal(await other.call("JunkServer.Handler2", 1), { ok: false });
    assert.is(sim.now(), t0, "after cleanup calls fail at once");
  }),
);

test(
  "duplication: that share of requests runs its handler twice, the caller sees one reply",
  simTest(async (sim) => {
    const { net, junk, end } = setup(sim);
    assert.throws(() => net.setDuplication(1001), /per mille in \[0, 1000\]/);
    net.setDuplication(1000);
    for (let i = 0; i < 20; i++)
      assert.equal(await end.call("JunkServer.Handler2", i), { ok: true, reply: `handler2-${i}` });
    await sim.sleep(100);
    assert.is(junk.log2.length, 40, "every request arrives twice");
    net.setDuplication(0);
    await end.call("JunkServer.Handler2", 99);
    await sim.sleep(100);
    assert.is(junk.log2.length, 41, "off again: once");
  }),
);

test(
  "duplication: a copy still on its way when the end is disabled is never delivered",
  simTest(async (sim) => {
    const { net, junk, end } = setup(sim);
    net.setDuplication(1000);
    net.setLongReordering(true);
    const call = end.call("JunkServer.Handler2", 5);
    await sim.sleep(1); // the original has run its handler; the copy comes 200+ ms later
    assert.equal(junk.log2, [5]);
    net.enable("end1-99", false);
    await call;
    await sim.sleep(3000);
    assert.equal(junk.log2, [5]);
  }),
);

test.run();
