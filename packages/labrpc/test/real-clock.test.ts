import { test } from "uvu";
import * as assert from "uvu/assert";
import { Network, RealClock, realRandom } from "../src/index.js";
import { junkServer } from "./junk-server.js";

// The one place labrpc runs on the real clock: the same Network code, real timers.
test("real clock: calls, an unreachable end and a killed handler behave as in virtual time", async () => {
  const clock = new RealClock();
  const net = new Network({ clock, random: realRandom });
  // unref: the handler that sleeps 20 s must not keep the test process alive once we are done.
  net.addServer("s", junkServer(new RealClock({ unref: true })).server);
  const end = net.makeEnd("e");
  net.connect("e", "s");
  net.enable("e", true);
  const results = await Promise.all(Array.from({ length: 50 }, (_, i) => end.call("JunkServer.Handler2", i)));
  for (const [i, r] of results.entries()) assert.equal(r, { ok: true, reply: `handler2-${i}` });

  const stuck = end.call("JunkServer.Handler3", 1);
  await clock.sleep(20);
  const t0 = clock.now();
  net.deleteServer("s");
  assert.equal(await stuck, { ok: false });
  assert.ok(clock.now() - t0 < 1000);

  net.enable("e", false);
  const t1 = clock.now();
  assert.equal(await end.call("JunkServer.Handler2", 1), { ok: false });
  const waited = clock.now() - t1;
  assert.ok(waited < 1000, `unreachable call took ${waited} ms`);
  net.cleanup();
});

test.run();
