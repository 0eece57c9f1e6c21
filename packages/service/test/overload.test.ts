import { type Simulation, simTest } from "@raftkit/labrpc";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { NoQuorumError, OverloadedError, ServiceClient } from "../src/index.js";
import { ServiceCluster } from "../src/testkit/index.js";
import { errorOfReply, errorReply } from "../src/wire.js";
import { Counter, type CounterCommand } from "./helpers/counter.js";

// raft refuses a proposal while 4000 bytes of its leader's proposals wait for a quorum.
const FLOW = { raftConfig: { maxUncommittedBytes: 4000, maxProposalBytes: 4000 } };
const padded = (add: number) => ({ add, pad: "x".repeat(2100) }) as CounterCommand;

async function overloadedCluster(sim: Simulation) {
  const cluster = new ServiceCluster(sim, { servers: 3, stateMachine: () => new Counter(), replica: FLOW });
  const client = cluster.client();
  assert.is(await client.submit({ add: 1 }), 1); // the client has found the leader
  const leader = cluster.leader()!;
  // Cut off from its followers, the leader holds one padded entry it cannot commit.
  cluster.partition(
    [leader],
    cluster.all().filter((i) => i !== leader),
  );
  cluster
    .replica(leader)!
    .submit(padded(1))
    .catch(() => {});
  return { cluster, client, leader };
}

test(
  "a command refused by raft's flow control rejects with OverloadedError (typed, nothing proposed)",
  simTest(async (sim) => {
    const { cluster, leader } = await overloadedCluster(sim);
    const replica = cluster.replica(leader)!;
    const before = replica.node.lastIndex;
    const error = await replica.submit(padded(2)).catch((e: unknown) => e);
    assert.instance(error, OverloadedError);
    assert.is((error as OverloadedError).code, "OVERLOADED");
    assert.is((error as OverloadedError).limitBytes, 4000);
    assert.ok((error as OverloadedError).uncommittedBytes > 2100);
    assert.match((error as Error).message, /wait for a quorum \(limit 4000\).*retry shortly/);
    assert.is(replica.node.lastIndex, before, "nothing proposed");
    await cluster.close();
  }),
);

test("OVERLOADED and its byte counts survive the wire", () => {
  const reply = errorReply(new OverloadedError(1500, 1000));
  const error = errorOfReply(JSON.parse(JSON.stringify(reply)), { method: "Service.Submit" });
  assert.instance(error, OverloadedError);
  assert.is((error as OverloadedError).uncommittedBytes, 1500);
  assert.is((error as OverloadedError).limitBytes, 1000);
});

test(
  "a client backs off on an overloaded leader and its submit goes through once a quorum is back",
  simTest(async (sim) => {
    const { cluster, client } = await overloadedCluster(sim);
    const started = sim.now();
    const submitted = client.submit(padded(2));
    await sim.sleep(300);
    cluster.connectAll();
    const total = await submitted;
    assert.ok(total === 3 || total === 4, `total ${total}`);
    assert.ok(sim.now() - started >= 300, "not before the followers are back");
    await cluster.close();
  }),
);

test(
  "the pause before retrying an overloaded leader doubles, up to 1 s, until the client's timeout",
  simTest(async (sim) => {
    const calls: number[] = [];
    const overloaded = {
      call: async (method: string) => {
        if (method.endsWith("Submit")) calls.push(sim.now());
        return {
          ok: true as const,
          reply: method.endsWith("Submit")
            ? errorReply(new OverloadedError(2000, 1000))
            : { status: "ok", value: 1 }, // OpenSession: session 1
        };
      },
    };
    const client = new ServiceClient([overloaded], { clock: sim, random: sim.random, timeoutMs: 5_000 });
    const error = await client.submit({ add: 1 }).catch((e: unknown) => e);
    assert.instance(error, NoQuorumError);
    assert.match((error as Error).message, /leader overloaded: 2000 bytes/);
    // Pauses of 20 ms (±50%) would make ~250 tries in 5 s; doubling up to 1 s makes 9 to 15.
    assert.ok(calls.length >= 9 && calls.length <= 15, `${calls.length} tries`);
    // The k-th pause is drawn from 0.5–1.5 × its mean: 20 ms doubled per overloaded answer in a
    // row, capped at 1 s. (How many pauses come before the cap depends on the draws, so each
    // pause is checked against its own mean, not the last few against the cap.)
    const gaps = calls.slice(1).map((t, i) => t - calls[i]!);
    const mean = (k: number) => Math.min(20 * 2 ** k, 1_000);
    for (const [k, gap] of gaps.entries()) {
      assert.ok(
        gap >= 0.5 * mean(k) - 1e-9 && gap <= 1.5 * mean(k) + 1e-9,
        `pause ${k}: ${gap} ms, mean ${mean(k)}`,
      );
    }
    assert.is(mean(gaps.length - 1), 1_000, "the pauses reached the 1 s cap");
  }),
);

test.run();
