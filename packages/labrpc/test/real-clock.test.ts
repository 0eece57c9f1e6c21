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

test("real clock: timers fire once each, in order of due time then of setting, never once cancelled", async () => {
  const clock = new RealClock();
  const fired: string[] = [];
  const start = clock.now();
  const firedAt = new Map<string, number>();
  const set = (name: string, delayMs: number) =>
    clock.setTimer(delayMs, () => {
      fired.push(name);
      firedAt.set(name, clock.now() - start);
    });
  set("c", 30);
  set("a1", 10);
  const cancelled = set("x", 15);
  set("b", 20);
  set("a2", 10);
  cancelled.cancel();
  cancelled.cancel(); // idempotent
  await clock.sleep(60);
  assert.equal(fired, ["a1", "a2", "b", "c"]);
  // Never before its delay, within Node's millisecond (no upper bound: the machine may be loaded).
  for (const [name, delayMs] of [
    ["a1", 10],
    ["b", 20],
    ["c", 30],
  ] as const) {
    assert.ok(firedAt.get(name)! >= delayMs - 1, `${name} fired at ${firedAt.get(name)} ms`);
  }
});

test("real clock: a timer set from a timer's callback, and one due at once, still fire", async () => {
  const clock = new RealClock();
  const fired: string[] = [];
  clock.setTimer(5, () => {
    fired.push("outer");
    clock.setTimer(0, () => fired.push("inner"));
  });
  clock.setTimer(-3, () => fired.push("negative"));
  await clock.sleep(40);
  assert.equal(fired, ["negative", "outer", "inner"]);
});

test("real clock: holds no Node timer once its timers have fired or been cancelled", async () => {
  const timeouts = () => process.getActiveResourcesInfo().filter((r) => r === "Timeout").length;
  const before = timeouts();
  const clock = new RealClock();
  const timers = Array.from({ length: 100 }, (_, i) => clock.setTimer(1000 + i, () => assert.unreachable()));
  assert.is(timeouts(), before + 1, "one Node timer for all of the clock's timers");
  for (const t of timers) t.cancel();
  assert.is(timeouts(), before, "none once every timer is cancelled: nothing keeps the process alive");
  await clock.sleep(5);
  assert.is(timeouts(), before, "none once the last timer fired");
});

test.run();
