import { setTimeout as sleep } from "node:timers/promises";
import type { MembershipChange } from "@raftkit/raft";
import { TcpTransport } from "@raftkit/transport-tcp";
import { nanoid } from "nanoid";
import { KvCliError, MembershipChangeRefusedError } from "../errors.js";
import {
  ADMIN_CHANGE_MEMBERSHIP,
  ADMIN_MEMBERS,
  type ChangeReply,
  isMembersReply,
  type MembersReply,
} from "../member/membership.js";
import type { MemberCommand } from "../options.js";
import { memberTable } from "../output/member-table.js";
import { readTls } from "../tls.js";

const RETRY_MS = 250;

/**
 * `member list` prints the leader's configuration; `member add|promote|remove` asks the leader
 * for one change and returns once it is committed. A change refused for now (another one in
 * flight, a learner still catching up, a new leader) is retried until --timeout.
 */
export async function member(command: MemberCommand): Promise<void> {
  const tcp = new TcpTransport({
    cluster: command.cluster,
    self: `member-${nanoid(8)}`,
    peers: command.peers,
    callTimeoutMs: 2000,
    maxFrameBytes: command.maxMessageBytes,
    ...(command.tls ? { tls: readTls(command.tls) } : {}),
    log: () => {},
  });
  const deadline = performance.now() + command.timeoutMs;
  try {
    if (command.action === "list") {
      const reply = await leadersView(tcp, command.peers.length, deadline);
      process.stdout.write(command.json ? `${JSON.stringify(reply)}\n` : memberTable(reply));
      return;
    }
    const change: MembershipChange =
      command.action === "add"
        ? { kind: "add-learner", id: command.id, address: command.address, autoPromote: !command.learner }
        : { kind: command.action, id: command.id };
    const done = await changeOnLeader(tcp, command.peers.length, change, deadline);
    const { voters, learners } = done.membership;
    process.stderr.write(
      `${describe(command)}${done.index > 0 ? ` (entry ${done.index})` : ""}; voters ${voters.join(",")}${learners.length > 0 ? `, learners ${learners.join(",")}` : ""}\n`,
    );
  } finally {
    await tcp.close();
  }
}

function describe(command: MemberCommand): string {
  switch (command.action) {
    case "add":
      return command.learner
        ? `member ${command.id} added as a learner at ${command.address}; promote it with raftkit-kv member promote ${command.id}`
        : `member ${command.id} added at ${command.address}; it becomes a voter once it has caught up`;
    case "promote":
      return `member ${command.id} is a voter`;
    case "remove":
      return `member ${command.id} removed; it stops itself`;
    default:
      return "";
  }
}

/** The configuration as the leader has it (any member's if none leads before the deadline). */
async function leadersView(tcp: TcpTransport, count: number, deadline: number): Promise<MembersReply> {
  for (;;) {
    const replies = await Promise.all(
      Array.from({ length: count }, async (_, id) => {
        const result = await tcp.call(id, ADMIN_MEMBERS, null, 1000);
        return result.ok && isMembersReply(result.reply) ? result.reply : undefined;
      }),
    );
    const answered = replies.filter((r) => r !== undefined);
    const leader = answered.find((r) => r.isLeader);
    if (leader) return leader;
    if (performance.now() >= deadline) {
      if (answered[0]) return answered[0];
      throw new KvCliError("no member answered: is the cluster running, and are --peers right?");
    }
    await sleep(RETRY_MS);
  }
}

/** Sends the change to each member in turn (the leader's hint first) until the leader takes it. */
async function changeOnLeader(
  tcp: TcpTransport,
  count: number,
  change: MembershipChange,
  deadline: number,
): Promise<Extract<ChangeReply, { ok: true }>> {
  let next = 0;
  let last = "no member answered: is the cluster running, and are --peers right?";
  // A call that got no answer may still have made the change (a removed leader stops before
  // its reply goes out): a refusal after one is checked against the configuration.
  let unanswered = false;
  while (performance.now() < deadline) {
    const to = next;
    next = (next + 1) % count;
    const result = await tcp.call(
      to,
      ADMIN_CHANGE_MEMBERSHIP,
      change,
      Math.max(1, deadline - performance.now()),
    );
    if (!result.ok) {
      unanswered = true;
      continue;
    }
    const reply = result.reply as ChangeReply;
    if (typeof reply !== "object" || reply === null || typeof reply.ok !== "boolean") continue;
    if (reply.ok) return reply;
    last = reply.message;
    if (reply.code === "ERR_RAFT_LEADERSHIP_LOST") {
      // The outcome is unknown: the new leader's configuration says whether it happened.
      const view = await leadersView(tcp, count, deadline);
      if (isDone(change, view)) return { ok: true, index: -1, membership: view.membership };
      continue;
    }
    if (reply.code === "ERR_RAFT_NOT_LEADER") {
      if (reply.leaderHint !== undefined && reply.leaderHint < count) next = reply.leaderHint;
      if (next === 0) await sleep(RETRY_MS); // a full round without a leader: an election
      continue;
    }
    if (!reply.retryable) {
      if (unanswered) {
        const view = await leadersView(tcp, count, deadline);
        if (isDone(change, view)) return { ok: true, index: -1, membership: view.membership };
      }
      throw new MembershipChangeRefusedError(reply.code, reply.message);
    }
    await sleep(RETRY_MS);
  }
  throw new KvCliError(`gave up after --timeout: ${last}`);
}

/** Whether the configuration already shows `change` made. */
function isDone(change: MembershipChange, view: MembersReply): boolean {
  const { voters, learners } = view.membership;
  switch (change.kind) {
    case "add-learner":
      return voters.includes(change.id) || learners.includes(change.id);
    case "promote":
      return voters.includes(change.id);
    case "remove":
      return !voters.includes(change.id) && !learners.includes(change.id);
  }
}
