import type { KvRaftServer } from "@raftkit/kvraft";
import type { TcpTransport } from "@raftkit/transport-tcp";
import type { MemberStatus } from "../admin.js";
import type { LeaderContact } from "./contact.js";

/** This member's answer to Admin.Status. */
export function memberStatus(
  server: KvRaftServer,
  tcp: TcpTransport,
  contact: LeaderContact,
  peers: readonly string[],
): MemberStatus {
  const { raft } = server;
  const { term, isLeader } = raft.getState();
  return {
    id: raft.id,
    term,
    isLeader,
    role: raft.role,
    leaderId: raft.leaderId,
    commitIndex: raft.commitIndex,
    appliedIndex: server.appliedIndex,
    lastContactMs: isLeader ? 0 : contact.sinceMs,
    snapshotChunksReceived: raft.metrics.messagesReceived.InstallSnapshot,
    peers: [...peers],
    voters: [...raft.membership.voters],
    learners: [...raft.membership.learners],
    transport: tcp.stats(),
  };
}
