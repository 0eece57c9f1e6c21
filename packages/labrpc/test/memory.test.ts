import { test } from "uvu";
import * as assert from "uvu/assert";
import { Network, Server, Service, simTest } from "../src/index.js";

const heap = () => {
  global.gc?.();
  global.gc?.();
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
};

// Needs --expose-gc to measure; without it the check is skipped (the behaviour still runs).
test(
  "a 10 MiB call does not leave the codec holding tens of MiB",
  simTest(async (sim) => {
    const net = new Network({ clock: sim, random: sim.random });
    net.addServer("s", new Server().addService(new Service("Echo", { Len: (b: Uint8Array) => b.length })));
    const end = net.makeEnd("e");
    net.connect("e", "s");
    net.enable("e", true);
    await end.call("Echo.Len", new Uint8Array(16)); // warm up the small path
    const before = heap();
    let big: Uint8Array | undefined = new Uint8Array(10 * 1024 * 1024).fill(7);
    assert.equal(await end.call("Echo.Len", big), { ok: true, reply: 10 * 1024 * 1024 });
    big = undefined;
    await end.call("Echo.Len", new Uint8Array(16));
    if (!global.gc) return;
    const grown = heap() - before;
    assert.ok(grown < 2 * 1024 * 1024, `retained ${(grown / 1048576).toFixed(1)} MiB after the call`);
  }),
);

test.run();
