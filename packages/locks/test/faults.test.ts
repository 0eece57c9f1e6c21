import { SEED_ENV, Simulation as Sim, type Simulation } from "@raftkit/labrpc";
import { checkOperations } from "@raftkit/porcupine";
import { History, ServiceCluster } from "@raftkit/service/testkit";
import { test } from "uvu";
import * as assert from "uvu/assert";
import {
  LockClient,
  type LockCommand,
  LockMachine,
  type LockResult,
  type LockState,
  lockParsers,
} from "../src/index.js";
import { lockModel } from "../src/testkit/index.js";

/** The seeds CI runs (odd ones on an unreliable network); RAFTKIT_SEED=<n> runs just that one. */
const SEEDS = process.env[SEED_ENV] ? [Number(process.env[SEED_ENV])] : [1, 2, 3, 4, 5, 6];

type Cluster = ServiceCluster<LockCommand, LockResult, string, LockState>;

/** Every 200-700 ms: cut a random minority off, heal, crash a replica (at most two down) or restart one. */
async function nemesis(sim: Simulation, cluster: Cluster, steps: number): Promise<string[]> {
  const done: string[] = [];
  const down = new Set<number>();
  for (let step = 0; step < steps; step++) {
    await sim.sleep(200 + sim.random.int(500));
    const i = sim.random.int(cluster.n);
    switch (sim.random.int(4)) {
      case 0: {
        const minority = cluster
          .all()
          .filter(() => sim.random.float() < 0.4)
          .slice(0, 2);
        cluster.partition(
          minority,
          cluster.all().filter((j) => !minority.includes(j)),
        );
        done.push(`partition ${minority.join(",")}`);
        break;
      }
      case 1:
        cluster.connectAll();
        done.push("heal");
        break;
      case 2:
        if (down.size >= 2 || down.has(i)) break;
        cluster.crash(i);
        down.add(i);
        done.push(`crash ${i}`);
        break;
      default:
        for (const j of down) {
          cluster.restart(j);
          cluster.connect(j, cluster.all());
          done.push(`restart ${j}`);
        }
        down.clear();
    }
  }
  for (const j of down) cluster.restart(j);
  cluster.connectAll();
  return done;
}

async function worker(
  cluster: Cluster,
  history: History<LockCommand, LockResult, string, LockState>,
  c: number,
) {
  const client = new LockClient(cluster.clientLinks().ends, {
    clock: cluster.sim,
    random: cluster.sim.random,
    timeoutMs: 120_000,
  });
  const { owner } = client;
  for (let round = 0; round < 8; round++) {
    const got = await history.record(
      c,
      { kind: "submit", command: { op: "acquire", lock: "L", owner } },
      () => client.acquire("L"),
    );
    await history.record(c, { kind: "read", query: "L" }, () => client.state("L"));
    if (!got.granted) await cluster.sim.sleep(100 + cluster.sim.random.int(300));
    else {
      await cluster.sim.sleep(50);
      await history.record(c, { kind: "submit", command: { op: "release", lock: "L", owner } }, () =>
        client.release("L").then((released) => ({ released })),
      );
    }
  }
}

for (const seed of SEEDS) {
  test(`seed ${seed}: locks stay linearizable with fencing tokens through partitions, crashes and restarts`, async () => {
    const sim = new Sim({ seed });
    await sim.run(async () => {
      const cluster: Cluster = new ServiceCluster(sim, {
        servers: 5,
        stateMachine: () => new LockMachine(),
        parsers: lockParsers,
        replica: { snapshot: { maxLogEntries: 25 } },
        unreliable: seed % 2 === 1,
      });
      const history = new History<LockCommand, LockResult, string, LockState>(sim);
      const faults = nemesis(sim, cluster, 25);
      await Promise.all([0, 1, 2, 3].map((c) => worker(cluster, history, c)));
      const done = await faults;
      const failed = history.operations().filter((op) => !op.output.ok);
      assert.is(failed.length, 0, `failed operations: ${JSON.stringify(failed.slice(0, 3))}`);
      const grants = history
        .operations()
        .filter((op) => op.output.ok && (op.output.value as { granted?: boolean }).granted);
      const refusals = history
        .operations()
        .filter((op) => op.output.ok && (op.output.value as { granted?: boolean }).granted === false);
      assert.ok(
        grants.length >= 2 && refusals.length >= 1,
        `${grants.length} grants, ${refusals.length} refusals`,
      );
      assert.is(checkOperations(lockModel, history.operations()), "ok");
      console.log(
        `  seed ${seed}: ${history.size} operations, ${grants.length} grants, ${refusals.length} refusals, faults: ${done.length} (${done.filter((f) => f.startsWith("crash")).length} crashes), linearizable`,
      );
      await cluster.close();
    });
  });
}

test.run();
