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
  // The client's first operation ends only once the window has opened (runWorkload reads the
  // counters then) and a window's length later, so it ends after the window closed whatever the
  // timers' lateness. Before, it ended at a fixed 600 ms: an event loop held up from 200 to
  // 600 ms (a busy machine) opened the window only then, and the next operation fell inside it.
  // If the window waited for the client, the operation would end after 5 s and the next count.
  const durationMs = 100;
  let opened: () => void = () => {};
  const windowOpened = new Promise<void>((resolve) => {
    opened = resolve;
  });
  let first = true;
  const get = async () => {
    if (!first) return wait(2);
    first = false;
    const giveUp = new AbortController();
    const late = wait(5000, undefined, { signal: giveUp.signal }).catch(() => {});
    await Promise.race([windowOpened.then(() => wait(durationMs + 50)), late]);
    giveUp.abort();
  };
  const deployment: Deployment = {
    makeClients: () => [{ get, put: get, append: get }],
    counters: () => {
      opened();
      return { rpcs: 0, bytes: 0 };
    },
    close: async () => {},
  };
  const workload = { mix: { get: 1, put: 0, append: 0 }, keys: 10, valueSize: 10 };
  const result = await runWorkload(deployment, 1, workload, { warmupMs: 0, durationMs, maxWarmupMs: 200 });
  assert.is(
    result.ops,
    0,
    "the window opened without the client and closed before its first operation ended",
  );
});

test.run();
