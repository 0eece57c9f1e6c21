import { Simulation, simTest } from "@raftkit/labrpc";
import { MemoryPersister, type Transport } from "@raftkit/raft";
import { SERVICE_METHODS, type WireReply } from "@raftkit/service";
import { test } from "uvu";
import * as assert from "uvu/assert";
import type { KvRaftCommand, KvRaftEntry } from "../src/index.js";
import { KvRaftConfigError, KvRaftServer } from "../src/index.js";
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

// The service layer's wire protocol, spoken by hand.
const call = (server: KvRaftServer, method: string, args: unknown) =>
  Promise.resolve(server.handle(method, args)) as Promise<WireReply>;
/** Opens a session; resolves with its id (the log index of the entry that opened it). */
const open = async (server: KvRaftServer): Promise<number> => {
  const reply = await call(server, SERVICE_METHODS.openSession, {});
  if (reply.status !== "ok" || typeof reply.value !== "number") throw new Error(JSON.stringify(reply));
  return reply.value;
};
const submit = (server: KvRaftServer, command: KvRaftCommand | unknown, session: number, seq: number) =>
  call(server, SERVICE_METHODS.submit, { session, seq, command });
const read = (server: KvRaftServer, key: unknown) => call(server, SERVICE_METHODS.read, { query: key });
const put = (key: string, value: string): KvRaftCommand => [1, key, value];
const append = (key: string, value: string): KvRaftCommand => [2, key, value];
/** Three servers; a clerk has written a=1; then the leader is cut off from the others. */
async function cutOffLeader(sim: Simulation) {
  const cfg = new KvRaftConfig(sim, { servers: 3, unreliable: false, maxRaftState: -1 });
  const ck = cfg.makeClient(cfg.all());
  await ck.put("a", "1");
  const leader = cfg.leader()!;
  cfg.disconnect(leader, cfg.all());
  return { cfg, ck, leader, server: cfg.server(leader)! };
}

const codeOf = (reply: WireReply) => (reply.status === "error" ? reply.code : "ok");
/** A write's reply: ok, and nothing more to say. */
const OK = { status: "ok", value: undefined };

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
  "a follower answers NOT_LEADER; bad requests get MALFORMED / UNKNOWN_METHOD and nothing is logged",
  simTest(async (sim) => {
    const server = soloServer(sim);
    assert.is(codeOf(await read(server, "a")), "NOT_LEADER");
    await untilLeader(sim, server);
    const c = await open(server);
    const lastIndex = server.raft.lastIndex;
    const bad = await submit(server, [1, "a", 1], c, 1);
    assert.is(codeOf(bad), "MALFORMED");
    assert.match((bad as { message: string }).message, /field "value" must be a string/);
    const named = await submit(server, { op: "put", key: "a", value: "v" }, c, 1);
    assert.match((named as { message: string }).message, /an array \[op, key\] or \[op, key, value\]/);
    assert.is(codeOf(await submit(server, [4, "a"], c, 1)), "MALFORMED");
    assert.is(codeOf(await submit(server, [1, "a"], c, 1)), "MALFORMED");
    assert.is(codeOf(await read(server, 7)), "MALFORMED");
    assert.is(codeOf(await call(server, "KVServer.Get", { key: "a" })), "UNKNOWN_METHOD");
    assert.is(server.raft.lastIndex, lastIndex);
    server.kill();
  }),
);

test(
  "a retried Put/Append executes once; Gets see every earlier write",
  simTest(async (sim) => {
    const server = soloServer(sim);
    await untilLeader(sim, server);
    const c1 = await open(server);
    assert.equal(await submit(server, put("k", "a"), c1, 1), OK);
    assert.equal(await submit(server, append("k", "b"), c1, 2), OK);
    // The same request again (its reply was lost, say): logged again, executed once.
    assert.equal(await submit(server, append("k", "b"), c1, 2), OK);
    assert.equal(await read(server, "k"), { status: "ok", value: "ab" });
    // An older request of a client that has moved on is not executed either.
    assert.is(codeOf(await submit(server, put("k", "z"), c1, 1)), "SUPERSEDED");
    assert.equal(await read(server, "k"), { status: "ok", value: "ab" });
    // A client that never opened a session is refused, and nothing executes.
    assert.is(codeOf(await submit(server, append("k", "!"), c1 + 1, 1)), "SESSION_EXPIRED");
    assert.equal(await read(server, "k"), { status: "ok", value: "ab" });
    server.kill();
  }),
);

test(
  "snapshots keep the persisted state near maxRaftState and a restart restores data and sessions",
  simTest(async (sim) => {
    const persister = new MemoryPersister<KvRaftEntry>();
    const server = soloServer(sim, persister, 400);
    await untilLeader(sim, server);
    const c1 = await open(server);
    for (let seq = 1; seq <= 200; seq++) {
      await submit(server, append(`k${seq % 3}`, `${seq},`), c1, seq);
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
    assert.equal(await read(again, "k1"), { status: "ok", value: want });
    // The session survived: the last Append, retried, is not executed again.
    await submit(again, append("k2", "200,"), c1, 200);
    const k2 = (await read(again, "k2")) as { value: string };
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
    const c = await open(server);
    for (let seq = 1; seq <= 100; seq++) await submit(server, put("k", "v"), c, seq);
    assert.is(persister.snapshotSize(), 0);
    server.kill();
  }),
);

test(
  "a leader cut off from its majority never answers ok (TIMEOUT, or NOT_LEADER / LEADERSHIP_LOST once check-quorum deposes it), then NOT_LEADER once it learns of a new term",
  simTest(async (sim) => {
    const { cfg, ck, server } = await cutOffLeader(sim);
    try {
      const t0 = sim.now();
      const first = codeOf(await read(server, "a"));
      // With check-quorum the cut-off leader steps down within an election timeout: NOT_LEADER,
      // or LEADERSHIP_LOST for a read already waiting on its log entry when it stepped down;
      // without it the request times out after 1 s. Either way it never answers "ok".
      assert.ok(["TIMEOUT", "NOT_LEADER", "LEADERSHIP_LOST"].includes(first), `answered ${first}`);
      assert.ok(sim.now() - t0 < 1200, `answered after ${sim.now() - t0} ms`);
      await ck.put("a", "2"); // the majority elects a new leader and moves on
      const second = read(server, "a");
      cfg.connectAll();
      assert.is(codeOf(await second), "NOT_LEADER");
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
    const { cfg, ck, leader, server } = await cutOffLeader(sim);
    try {
      const opened = open(server);
      // The session's id is the index of the entry that opens it, known as soon as it is proposed.
      const c9 = server.raft.lastIndex;
      const before = server.raft.lastIndex;
      const first = submit(server, append("a", "x"), c9, 1);
      const retry = submit(server, append("a", "x"), c9, 1);
      assert.is(server.raft.lastIndex, before + 1);
      // A different request of the same client is logged.
      const next = submit(server, append("a", "y"), c9, 2);
      assert.is(server.raft.lastIndex, before + 2);
      cfg.connect(leader, cfg.all());
      await opened.catch(() => undefined); // it may have timed out, like the writes
      const replies = await Promise.all([first, retry, next]);
      for (const reply of replies)
        assert.ok(["ok", "TIMEOUT", "NOT_LEADER", "LEADERSHIP_LOST"].includes(codeOf(reply)), codeOf(reply));
      assert.equal(replies[0], replies[1]);
      const value = await ck.get("a");
      assert.ok(value.split("x").length <= 2, `x appended at most once: ${value}`);
    } finally {
      cfg.cleanup();
    }
  }),
);

test(
  "kill answers waiting requests CLOSED and later ones at once",
  simTest(async (sim) => {
    const { cfg, server } = await cutOffLeader(sim);
    try {
      const waiting = read(server, "a");
      await sim.sleep(10);
      server.kill();
      assert.is(codeOf(await waiting), "CLOSED");
      assert.is(codeOf(await read(server, "a")), "CLOSED");
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
