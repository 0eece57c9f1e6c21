import { KvRaftServer } from "@raftkit/kvraft";
import { simTest } from "@raftkit/labrpc";
import { MemoryPersister, type Transport } from "@raftkit/raft";
import pino from "pino";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { watchRole } from "../src/member/role-watch.js";

const alone: Transport = { call: async () => ({ ok: false }), listen: () => {} };

test(
  "a member logs its role at start and every role change when raft makes it, naming the leader",
  simTest(async (sim) => {
    const server = new KvRaftServer({
      id: 0,
      peerCount: 1,
      transport: alone,
      persister: new MemoryPersister(),
      clock: sim,
      random: sim.random,
    });
    const lines: string[] = [];
    const log = pino({ base: null, timestamp: false }, { write: (line: string) => void lines.push(line) });
    const logged = () => lines.map((line) => `${JSON.parse(line).msg} at ${sim.now()}`);
    const roles: string[] = [];
    server.raft.addEventListener("role", (e) =>
      roles.push(`${e.detail.role} ${e.detail.term} at ${sim.now()}`),
    );
    const stop = watchRole(server, ["127.0.0.1:1"], log);
    assert.equal(logged(), ["follower in term 0; no leader known at 0"]);
    let leaderAt: number | undefined;
    server.raft.addEventListener("role", (e) => {
      if (e.detail.role === "leader") leaderAt = sim.now();
    });
    while (leaderAt === undefined) await sim.sleep(10);
    const at = lines.findIndex((line) => JSON.parse(line).msg === "leader for term 1");
    assert.ok(at > 0, `logged: ${lines.join("")}`);
    assert.is(JSON.parse(lines[at]!).leader, 0);
    // Logged in the same turn as raft's event, not a polling interval later.
    assert.is(roles.length, lines.length - 1, `roles ${roles.join("; ")}; logged ${lines.join("")}`);
    stop();
    server.kill();
  }),
);

test.run();
