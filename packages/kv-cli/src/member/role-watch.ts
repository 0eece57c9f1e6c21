import type { KvRaftServer } from "@raftkit/kvraft";
import type { Logger } from "pino";

/**
 * Logs every change of role, term or leader (polled every 100 ms until raft emits events): the
 * operator sees who leads, and the process tests wait for "leader for term" lines.
 */
export function watchRole(server: KvRaftServer, peers: readonly string[], log: Logger): () => void {
  let last = "";
  const timer = setInterval(() => {
    const { raft } = server;
    const { term, isLeader } = raft.getState();
    const leader = raft.leaderId;
    const key = `${raft.role}/${term}/${leader}`;
    if (key === last) return;
    last = key;
    const fields = { role: raft.role, term, leader };
    if (isLeader) log.info(fields, `leader for term ${term}`);
    else if (leader !== undefined)
      log.info(fields, `follower in term ${term}; the leader is member ${leader} at ${peers[leader]}`);
    else
      log.info(
        fields,
        `${raft.role === "candidate" ? "candidate" : "follower"} in term ${term}; no leader known`,
      );
  }, 100);
  return () => clearInterval(timer);
}
