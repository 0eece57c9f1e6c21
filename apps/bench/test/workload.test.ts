import { setTimeout as wait } from "node:timers/promises";
import { test } from "uvu";
import * as assert from "uvu/assert";
import type { Deployment, KvClient } from "../src/scenario.js";
import { runWorkload } from "../src/workload.js";

/**
 * A fake system whose clients' first operation is slow (a cold deployment on a loaded machine:
 * connections, sessions, code not yet compiled), then fast. Records when the leader was stopped.
 */
function coldDeployment(firstOpMs: number) {
  const events: string[] = [];
  let done = 0;
  const deployment: Deployment = {
    makeClients: (n) =>
      Array.from({ length: n }, (): KvClient => {
        let first = true;
        const op = async () => {
          await wait(first ? firstOpMs : 2);
          first = false;
          done++;
        };
        return { get: op, put: op, append: op };
      }),
    counters: () => ({ rpcs: done, bytes: done }),
    killLeader: async () => {
      events.push(`kill after ${done} operations`);
    },
    close: async () => {},
  };
  return { deployment, events };
}

test("the measured window opens only once every client has completed an operation, so a failover run measures some before its kill", async () => {
  // Before: the window was [warm-up, warm-up + duration] from the start, whatever the clients
  // did. Under load 25-45 a planned-stop run's first operations outlasted it: "no operations".
  const { deployment, events } = coldDeployment(400);
  const workload = { mix: { get: 0, put: 1, append: 0 }, keys: 10, valueSize: 10 };
  const result = await runWorkload(deployment, 8, workload, {
    warmupMs: 100,
    durationMs: 300,
    killLeaderAt: 1 / 3,
  });
  assert.ok(result.ops > 0, "operations were measured");
  assert.is(events.length, 1);
  const before = Number(/kill after (\d+)/.exec(events[0]!)![1]);
  assert.ok(before > 8, `the leader was stopped after the 8 first operations and more: ${events[0]}`);
  assert.ok(result.stallMs !== undefined);
});

test("a client that does not complete an operation within maxWarmupMs does not hold the window shut", async () => {
  const { deployment } = coldDeployment(600);
  const workload = { mix: { get: 1, put: 0, append: 0 }, keys: 10, valueSize: 10 };
  const result = await runWorkload(deployment, 1, workload, {
    warmupMs: 0,
    durationMs: 100,
    maxWarmupMs: 200,
  });
  assert.is(result.ops, 0, "the window opened at 200 ms and closed at 300 ms, before the operation ended");
});

test.run();
