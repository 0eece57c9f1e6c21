import { test } from "uvu";
import * as assert from "uvu/assert";
import type { MemberStatus } from "../src/admin.js";
import type { Probe } from "../src/cluster-client.js";
import { statusJson } from "../src/output/status-json.js";
import { statusRows } from "../src/output/status-rows.js";
import { statusTable } from "../src/output/status-table.js";

const status = (id: number, role: string): MemberStatus => ({
  id,
  term: 2,
  isLeader: role === "leader",
  role,
  leaderId: 0,
  commitIndex: 7,
  appliedIndex: 7,
  lastContactMs: role === "leader" ? 0 : 40,
  snapshotChunksReceived: 0,
  peers: [],
  voters: [0, 1],
  learners: [2, 3],
  transport: { calls: 0, failedCalls: 0, served: 0, bytesSent: 0, bytesReceived: 0, queuedBytes: 0 },
});

const probe = (id: number, role: string | undefined, learner: boolean): Probe => ({
  id,
  address: `127.0.0.1:700${id + 1}`,
  status: role === undefined ? undefined : status(id, role),
  failure: undefined,
  ...(learner ? { learner: true } : {}),
});

// Voters 0 (leader) and 1; learners 2 (a follower in raft's terms) and 3 (unreachable).
const probes = [
  probe(0, "leader", false),
  probe(1, "follower", false),
  probe(2, "follower", true),
  probe(3, undefined, true),
];
const rows = statusRows(probes, (p) => `member ${p.id}: connection refused`);

test("status names a learner as one in ROLE, not as the follower raft calls it", () => {
  const [, ...lines] = statusTable(rows).trimEnd().split("\n");
  const roles = lines.slice(0, 4).map((line) => line.split(/\s{2,}/)[2]);
  assert.equal(roles, ["leader", "follower", "learner", "unreachable learner"]);
  assert.match(statusTable(rows), "member 3: connection refused");
});

test("status --json keeps the raft role and says which members are learners", () => {
  const json = JSON.parse(statusJson(rows)) as Array<{ member: number; role: string; learner: boolean }>;
  assert.equal(
    json.map((r) => [r.member, r.role, r.learner]),
    [
      [0, "leader", false],
      [1, "follower", false],
      [2, "follower", true],
      [3, "unreachable", true],
    ],
  );
});

test.run();
