import { KV_METHODS } from "@raftkit/kvsrv";
import { Simulation, simTest } from "@raftkit/labrpc";
import { MemoryPersister, type Transport } from "@raftkit/raft";
import { test } from "uvu";
import * as assert from "uvu/assert";
import type { KvRaftEntry } from "../src/index.js";
import { KvRaftConfigError, type KvRaftReply, KvRaftServer } from "../src/index.js";
import { KvRaftConfig } from "./helpers/config.js";

/** A transport for a one-server cluster: raft never calls anyone. */
const alone: Transport = {
  call: () => Promise.resolve({ ok: false }),
  listen: () => {},
};

function soloServer(sim: Simulation, persister = new MemoryPersister<KvRaftEntry>(), maxRaftState = -1) {
  return new KvRaftServer({
    id: 0,
    peerCount: 1,
    transport: alone,
    persister,
    clock: sim,
    random: sim.random,
    maxRaftState,
  });
}

/** Waits (in virtual time) until the single server leads. */
async function untilLeader(sim: Simulation, server: KvRaftServer): Promise<void> {
  while (!server.raft.getState().isLeader) await sim.sleep(10);
}

const put = (key: string, value: string, clientId: string, seq: number) =>
  ({ key, value, clientId, seq }) as const;

test(
  "options are checked",
  simTest(async (sim) => {
    for (const maxRaftState of [0, -2, 1.5, Number.NaN]) {
      assert.throws(
        () => soloServer(sim, undefined, maxRaftState),
        (e: unknown) => e instanceof KvRaftConfigError,
      );
    }
    assert.throws(
      () =>
        new KvRaftServer({
          id: 0,
          peerCount: 1,
          transport: alone,
          persister: new MemoryPersister<KvRaftEntry>(),
          clock: sim,
          random: sim.random,
          requestTimeoutMs: 0,
        }),
      (e: unknown) => e instanceof KvRaftConfigError,
    );
  }),
);

test(
  "a follower answers wrong-leader; bad requests get malformed / unknown-method and nothing is logged",
  simTest(async (sim) => {
    const server = soloServer(sim);
    assert.equal(await server.handle(KV_METHODS.get, { key: "a" }), { status: "wrong-leader" });
    await untilLeader(sim, server);
    const lastIndex = server.raft.lastIndex;
    const bad = (await server.handle(KV_METHODS.put, {
      key: "a",
      value: 1,
      clientId: "c",
      seq: 1,
    })) as KvRaftReply;
    assert.is(bad.status, "malformed");
    const unknown = (await server.handle("KVServer.Frobnicate", { key: "a" })) as KvRaftReply;
    assert.is(unknown.status, "unknown-method");
    assert.is(server.raft.lastIndex, lastIndex);
    server.kill();
  }),
);

test(
  "a retried Put/Append executes once; Gets see every earlier write",
  simTest(async (sim) => {
    const server = soloServer(sim);
    await untilLeader(sim, server);
    assert.equal(await server.handle(KV_METHODS.put, put("k", "a", "c1", 1)), { status: "ok" });
    assert.equal(await server.handle(KV_METHODS.append, put("k", "b", "c1", 2)), { status: "ok" });
    // The same request again (its reply was lost, say): logged again, executed once.
    assert.equal(await server.handle(KV_METHODS.append, put("k", "b", "c1", 2)), { status: "ok" });
    assert.equal(await server.handle(KV_METHODS.get, { key: "k" }), { status: "ok", value: "ab" });
    // An older request of a client that has moved on is not executed either.
    assert.equal(await server.handle(KV_METHODS.put, put("k", "z", "c1", 1)), { status: "superseded" });
    assert.equal(await server.handle(KV_METHODS.get, { key: "k" }), { status: "ok", value: "ab" });
    server.kill();
  }),
);

test(
  "snapshots keep the persisted state near maxRaftState and a restart restores data and sessions",
  simTest(async (sim) => {
    const persister = new MemoryPersister<KvRaftEntry>();
    const server = soloServer(sim, persister, 400);
    await untilLeader(sim, server);
    for (let seq = 1; seq <= 200; seq++) {
      await server.handle(KV_METHODS.append, put(`k${seq % 3}`, `${seq},`, "c1", seq));
      assert.ok(persister.raftStateSize() <= 400, `raft state ${persister.raftStateSize()} > 400`);
    }
    assert.ok(persister.snapshotSize() > 0);
    server.kill();

    const again = soloServer(sim, persister.copy(), 400);
    await untilLeader(sim, again);
    const want = Array.from({ length: 200 }, (_, i) => i + 1)
      .filter((seq) => seq % 3 === 1)
      .map((seq) => `${seq},`)
      .join("");
    assert.equal(await again.handle(KV_METHODS.get, { key: "k1" }), { status: "ok", value: want });
    // The session survived: the last Append, retried, is not executed again.
    await again.handle(KV_METHODS.append, put("k2", "200,", "c1", 200));
    const k2 = (await again.handle(KV_METHODS.get, { key: "k2" })) as { value: string };
    assert.is(k2.value.split("200,").length, 2);
    again.kill();
  }),
);

test(
  "maxRaftState -1 never snapshots",
  simTest(async (sim) => {
    const persister = new MemoryPersister<KvRaftEntry>();
    const server = soloServer(sim, persister);
    await untilLeader(sim, server);
    for (let seq = 1; seq <= 100; seq++) await server.handle(KV_METHODS.put, put("k", "v", "c", seq));
    assert.is(persister.snapshotSize(), 0);
    server.kill();
  }),
);

test(
  "a leader cut off from its majority answers timeout or wrong-leader (check-quorum), then wrong-leader once it learns of a new term",
  simTest(async (sim) => {
    const cfg = new KvRaftConfig(sim, { servers: 3, unreliable: false, maxRaftState: -1 });
    try {
      const ck = cfg.makeClient(cfg.all());
      await ck.put("a", "1");
      const leader = cfg.leader()!;
      const server = cfg.server(leader)!;
      cfg.disconnect(leader, cfg.all());
      const t0 = sim.now();
      const first = (await server.handle(KV_METHODS.get, { key: "a" })) as { status: string };
      // With check-quorum the cut-off leader steps down within an election timeout (wrong-leader);
      // without it the request times out after 1 s. Either way it never answers "ok".
      assert.ok(["timeout", "wrong-leader"].includes(first.status), `answered ${first.status}`);
      assert.ok(sim.now() - t0 < 1200, `answered after ${sim.now() - t0} ms`);
      await ck.put("a", "2"); // the majority elects a new leader and moves on
      const second = server.handle(KV_METHODS.get, { key: "a" });
      cfg.connectAll();
      assert.equal(await second, { status: "wrong-leader" });
      assert.is(await ck.get("a"), "2");
      assert.is(server.pendingRequests, 0);
    } finally {
      cfg.cleanup();
    }
  }),
);

test(
  "a retry of a write still in the leader's log waits for that entry instead of logging it again",
  simTest(async (sim) => {
    const cfg = new KvRaftConfig(sim, { servers: 3, unreliable: false, maxRaftState: -1 });
    try {
      const ck = cfg.makeClient(cfg.all());
      await ck.put("a", "1");
      const leader = cfg.leader()!;
      const server = cfg.server(leader)!;
      cfg.disconnect(leader, cfg.all());
      const before = server.raft.lastIndex;
      const first = server.handle(KV_METHODS.append, put("a", "x", "c9", 1));
      const retry = server.handle(KV_METHODS.append, put("a", "x", "c9", 1));
      assert.is(server.raft.lastIndex, before + 1);
      // A different request of the same client is logged.
      const next = server.handle(KV_METHODS.append, put("a", "y", "c9", 2));
      assert.is(server.raft.lastIndex, before + 2);
      cfg.connect(leader, cfg.all());
      const replies = await Promise.all([first, retry, next]);
      for (const reply of replies)
        assert.ok(["ok", "timeout", "wrong-leader"].includes((reply as KvRaftReply).status));
      assert.equal(replies[0], replies[1]);
      const value = await ck.get("a");
      assert.ok(value.split("x").length <= 2, `x appended at most once: ${value}`);
    } finally {
      cfg.cleanup();
    }
  }),
);

test(
  "kill answers waiting requests wrong-leader and later ones at once",
  simTest(async (sim) => {
    const cfg = new KvRaftConfig(sim, { servers: 3, unreliable: false, maxRaftState: -1 });
    try {
      const ck = cfg.makeClient(cfg.all());
      await ck.put("a", "1");
      const leader = cfg.leader()!;
      const server = cfg.server(leader)!;
      cfg.disconnect(leader, cfg.all());
      const waiting = server.handle(KV_METHODS.get, { key: "a" });
      await sim.sleep(10);
      server.kill();
      assert.equal(await waiting, { status: "wrong-leader" });
      assert.equal(await server.handle(KV_METHODS.get, { key: "a" }), { status: "wrong-leader" });
      assert.ok(server.killed);
      assert.ok(server.raft.killed);
    } finally {
      cfg.cleanup();
    }
  }),
);

test("the same seed replays a scenario exactly", async () => {
  const run = (seed: number) =>
    new Simulation({ seed }).run(async (sim) => {
      const cfg = new KvRaftConfig(sim, { servers: 5, unreliable: true, maxRaftState: 1000 });
      try {
        const cks = [0, 1, 2].map(() => cfg.makeClient(cfg.all()));
        await Promise.all(
          cks.map(async (ck, c) => {
            for (let i = 0; i < 20; i++) await ck.append("k", `${c}.${i};`);
          }),
        );
        return `${await cks[0]!.get("k")} @${sim.now()} rpcs=${cfg.net.getTotalCount()}`;
      } finally {
        cfg.cleanup();
      }
    });
  const first = await run(7);
  assert.is(await run(7), first);
  assert.is.not(await run(8), first);
});

test.run();
