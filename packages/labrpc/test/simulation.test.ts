import { test } from "uvu";
import * as assert from "uvu/assert";
import { Simulation, SimulationStalledError, SimulationTimeLimitError } from "../src/index.js";

test("timers fire in (time, insertion) order and the clock jumps to each", async () => {
  const sim = new Simulation({ seed: 1 });
  const fired: string[] = [];
  await sim.run(async () => {
    sim.setTimer(30, () => fired.push(`c@${sim.now()}`));
    sim.setTimer(10, () => fired.push(`a@${sim.now()}`));
    sim.setTimer(10, () => fired.push(`b@${sim.now()}`));
    const cancelled = sim.setTimer(20, () => fired.push("never"));
    cancelled.cancel();
    sim.setTimer(-5, () => fired.push(`zero@${sim.now()}`));
    await sim.sleep(100);
  });
  assert.equal(fired, ["zero@0", "a@10", "b@10", "c@30"]);
  assert.is(sim.now(), 100);
});

test("a stalled body raises SimulationStalledError naming the virtual time", async () => {
  const sim = new Simulation({ seed: 5 });
  try {
    await sim.run(async () => {
      await sim.sleep(1234);
      await new Promise(() => {});
    });
    assert.unreachable("should have stalled");
  } catch (error) {
    assert.instance(error, SimulationStalledError);
    assert.is((error as SimulationStalledError).virtualTimeMs, 1234);
    assert.match((error as Error).message, /stalled at virtual time 1234 ms \(seed=5\)/);
  }
});

test("the virtual time limit stops a body that never ends", async () => {
  const sim = new Simulation({ seed: 1, timeLimitMs: 5000 });
  try {
    await sim.run(async () => {
      for (;;) await sim.sleep(1000);
    });
    assert.unreachable("should have hit the limit");
  } catch (error) {
    assert.instance(error, SimulationTimeLimitError);
  }
});

test.run();
