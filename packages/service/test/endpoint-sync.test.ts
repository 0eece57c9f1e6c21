import { simTest } from "@raftkit/labrpc";
import { membersOf } from "@raftkit/raft";
import { test } from "uvu";
import * as assert from "uvu/assert";
import {
  type MembersView,
  NoQuorumError,
  ReplicatedService,
  type ServerEnd,
  ServiceClient,
} from "../src/index.js";
import { type ClientLinks, ServiceCluster } from "../src/testkit/index.js";
import { Counter } from "./helpers/counter.js";

// Endpoint sync (ServiceClientOptions.endsFor): a client given some members' ends learns the
// others from the configuration when it is told of a leader it cannot reach, or reaches none of
// its replicas, and drops the members removed since.

type Sim = Parameters<Parameters<typeof simTest>[0]>[0];

/** Founders 0-2 and members 3 and 4, added since and promoted to voters. */
async function grownCluster(sim: Sim) {
  const cluster = new ServiceCluster(sim, {
    servers: 5,
    stateMachine: () => new Counter(),
    makeReplica: ({ peerCount: _, ...options }) => ({
      service: new ReplicatedService({ ...options, members: options.id >= 3 ? [] : [0, 1, 2] }),
    }),
  });
  const admin = cluster.client();
  for (const id of [3, 4]) {
    await admin.addLearner(id, { address: `replica-${id}` });
    await admin.promote(id, { timeoutMs: 30_000 });
  }
  return { cluster, admin };
}

/** Ends to the members of `view`'s configuration, counting the calls each replica gets. */
function learner(links: ClientLinks, calls: number[], seen: MembersView[]) {
  const counted = (end: ServerEnd): ServerEnd => ({
    id: end.id!,
    call: (method, args) => {
      calls[end.id!] = (calls[end.id!] ?? 0) + 1;
      return end.call(method, args);
    },
  });
  return (view: MembersView) => {
    seen.push(view);
    const members = membersOf(view.membership);
    return links.ends.filter((end) => members.includes(end.id!)).map(counted);
  };
}

test(
  "a client told of a leader it has no end for learns the configuration from a replica and reaches that leader",
  simTest(async (sim) => {
    const { cluster, admin } = await grownCluster(sim);
    for (const founder of [0, 1, 2]) await admin.remove(founder);
    const leader = (await admin.members()).id;
    const follower = leader === 3 ? 4 : 3;
    const links = cluster.clientLinks();
    const seed = links.ends.filter((end) => end.id === follower);
    const seen: MembersView[] = [];
    const client = new ServiceClient(seed, {
      clock: sim,
      random: sim.random,
      timeoutMs: 5000,
      endsFor: learner(links, [], seen),
    });
    assert.is(await client.submit({ add: 1 }), 1);
    assert.is(await client.read("total"), 1);
    assert.is(seen.length, 1, "one sync");
    assert.equal([seen[0]!.id, seen[0]!.membership.voters], [follower, [3, 4]]);

    // Negative control: without endsFor the hint names a member the client cannot reach.
    const stuck = new ServiceClient(seed, { clock: sim, random: sim.random, timeoutMs: 2000 });
    assert.instance(await stuck.submit({ add: 1 }).catch((e: unknown) => e), NoQuorumError);
    await cluster.close();
  }),
);

test(
  "a client that reaches none of its replicas in a round asks them for the configuration, and drops the members removed since",
  simTest(async (sim) => {
    const { cluster, admin } = await grownCluster(sim);
    for (const founder of [0, 1]) await admin.remove(founder);
    const links = cluster.clientLinks();
    links.disconnect([0]); // over TCP a removed member, stopped, refuses connections
    const endTo = (id: number) => links.ends.find((end) => end.id === id)!;
    // Like a TCP client whose list has member 3's address at position 1: its first call is
    // refused (wrong id), and from then on it reaches member 3 under its real id.
    let movedTo: number | undefined;
    const moving: ServerEnd = {
      get id() {
        return movedTo ?? 1;
      },
      call: async (method, args) => {
        if (movedTo !== undefined) return endTo(movedTo).call(method, args);
        movedTo = 3;
        return { ok: false };
      },
    };
    const calls: number[] = [];
    const seen: MembersView[] = [];
    const client = new ServiceClient([endTo(0), moving], {
      clock: sim,
      random: sim.random,
      timeoutMs: 5000,
      endsFor: learner(links, calls, seen),
    });
    for (let i = 1; i <= 5; i++) assert.is(await client.submit({ add: 1 }), i);
    assert.is(seen.length, 1, "one sync");
    assert.equal(seen[0]!.membership.voters, [2, 3, 4]);
    assert.is(calls[0], undefined, "removed member 0 is not tried after the sync");
    assert.ok((calls[2] ?? 0) + (calls[3] ?? 0) + (calls[4] ?? 0) >= 6, `calls ${JSON.stringify(calls)}`);
    await cluster.close();
  }),
);

test.run();
