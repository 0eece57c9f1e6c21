import { simTest } from "@raftkit/labrpc";
import { test } from "uvu";
import * as assert from "uvu/assert";
import {
  NoQuorumError,
  ServiceClient,
  serviceHandler,
  UnknownMethodError,
  WrongServerError,
} from "../src/index.js";
import { ServiceCluster } from "../src/testkit/index.js";
import { Counter } from "./helpers/counter.js";

const counterCluster = (
  sim: Parameters<Parameters<typeof simTest>[0]>[0],
  extra: { cluster?: string } = {},
) => new ServiceCluster(sim, { servers: 3, stateMachine: () => new Counter(), replica: extra });

test(
  "a client of another cluster is refused with WrongServerError, not retried until a timeout",
  simTest(async (sim) => {
    const cluster = counterCluster(sim, { cluster: "blue" });
    const client = cluster.client({ cluster: "green", timeoutMs: 60_000 });
    const started = sim.now();
    const error = await client.submit({ add: 1 }).catch((e: unknown) => e);
    assert.instance(error, WrongServerError);
    assert.match((error as Error).message, /cluster "blue", the request is for "green"/);
    assert.ok(sim.now() - started < 5_000, `refused after ${sim.now() - started} ms`);
    assert.is(await cluster.client({ cluster: "blue" }).submit({ add: 1 }), 1);
    await cluster.close();
  }),
);

test(
  "with no majority reachable the client gives up with NoQuorumError saying what each replica did",
  simTest(async (sim) => {
    const cluster = counterCluster(sim);
    const client = cluster.client({ timeoutMs: 3_000 });
    assert.is(await client.submit({ add: 1 }), 1);
    cluster.partition([0], [1], [2]);
    const error = await client.submit({ add: 1 }).catch((e: unknown) => e);
    assert.instance(error, NoQuorumError);
    assert.match((error as Error).message, /no quorum reachable within 3000 ms \(server \d: /);
    assert.match((error as Error).message, /could not commit|not leader/);
    await cluster.close();
  }),
);

test(
  "a method the replica does not serve is refused with UnknownMethodError listing what it serves",
  simTest(async (sim) => {
    const cluster = counterCluster(sim);
    while (cluster.leader() === undefined) await sim.sleep(100);
    const handler = serviceHandler(cluster.replica(cluster.leader()!)!);
    const misnamed = [
      {
        call: async (method: string, args: unknown) => ({
          ok: true as const,
          reply: await handler(method.replace("Submit", "Sbumit"), args),
        }),
      },
    ];
    const client = new ServiceClient(misnamed, { clock: sim, random: sim.random });
    const error = await client.submit({ add: 1 }).catch((e: unknown) => e);
    assert.instance(error, UnknownMethodError);
    assert.match(
      (error as Error).message,
      /unknown method Service\.Sbumit \(it serves Service\.OpenSession, Service\.Submit, Service\.Read\)/,
    );
    await cluster.close();
  }),
);

test(
  "an aborted call rejects at once with the signal's reason",
  simTest(async (sim) => {
    const cluster = counterCluster(sim);
    const client = cluster.client();
    cluster.partition([0], [1], [2]);
    const controller = new AbortController();
    const pending = client.submit({ add: 1 }, { signal: controller.signal }).catch((e: unknown) => e);
    await sim.sleep(500);
    controller.abort(new Error("caller gave up"));
    const error = await pending;
    assert.is((error as Error).message, "caller gave up");
    await cluster.close();
  }),
);

test.run();
