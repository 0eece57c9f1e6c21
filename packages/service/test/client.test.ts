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
      /unknown method Service\.Sbumit \(it serves Service\.OpenSession, Service\.Submit, Service\.Read, Service\.Members, Service\.ChangeMembership\)/,
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

test(
  "stale leader hints that point at each other never trap the client: it tries every replica each round (chaos kvraft-membership seed 7)",
  simTest(async (sim) => {
    // Replica 1 knows no leader; replica 2 (removed, stale) points at 1; replica 4 leads. Hints
    // alone would send the client 1 → 2 → 1 → ... for ever.
    const notLeader = (leaderId?: number) => ({
      status: "error",
      code: "NOT_LEADER",
      message: "not the leader",
      ...(leaderId === undefined ? {} : { leaderId }),
    });
    const calls: number[] = [];
    const ends = [undefined, undefined, 1, undefined, "leader"].map((role, j) => ({
      call: async () => {
        calls.push(j);
        await sim.sleep(1);
        if (role === "leader") return { ok: true as const, reply: { status: "ok", value: 42 } };
        return { ok: true as const, reply: notLeader(typeof role === "number" ? role : undefined) };
      },
    }));
    for (let client = 0; client < 8; client++) {
      calls.length = 0;
      const fresh = new ServiceClient(ends, { clock: sim, random: sim.random, timeoutMs: 5_000 });
      const value = await fresh.read("q").catch((e: unknown) => e);
      assert.is(value, 42, `client ${client}: calls ${calls.slice(0, 12).join(",")}...`);
      assert.ok(calls.length <= 10, `found the leader after ${calls.length} calls: ${calls.join(",")}`);
    }
  }),
);

test(
  "on a lossy network a follower's hint back to the leader whose reply was lost is followed at once, with no pause",
  simTest(async (sim) => {
    const notLeader = { status: "error", code: "NOT_LEADER", message: "not the leader", leaderId: 0 };
    for (let client = 0; client < 8; client++) {
      const calls: number[] = [];
      let lost = false;
      const ends = [0, 1, 2, 3, 4].map((j) => ({
        call: async () => {
          calls.push(j);
          await sim.sleep(1);
          if (j !== 0) return { ok: true as const, reply: notLeader };
          if (!lost) {
            lost = true; // the leader's first reply is lost on the way back
            return { ok: false as const };
          }
          return { ok: true as const, reply: { status: "ok", value: 42 } };
        },
      }));
      const fresh = new ServiceClient(ends, { clock: sim, random: sim.random, retryDelayMs: 20 });
      const started = sim.now();
      assert.is(await fresh.read("q"), 42);
      assert.ok(calls.length <= 4, `calls ${calls.join(",")}`);
      assert.ok(sim.now() - started < 10, `no pause between rounds: ${sim.now() - started} ms`);
    }
  }),
);

test.run();
