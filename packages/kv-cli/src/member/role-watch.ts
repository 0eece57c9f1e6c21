import type { KvRaftServer } from "@raftkit/kvraft";
import type { RoleChangeEvent } from "@raftkit/service";
import type { Logger } from "pino";

/**
 * Logs this member's role, term and leader now and at every change, from the replica's role
 * events (raised as soon as raft's state changes): the operator sees who leads, and the process
 * tests wait for "leader for term" lines. Returns a function that stops logging.
 */
export function watchRole(
  server: KvRaftServer,
  peers: readonly string[] | (() => readonly string[]),
  log: Logger,
): () => void {
  // Members added since the start are found in the configuration's addresses: ask each time.
  const addressOf = (id: number) =>
    (typeof peers === "function" ? peers() : peers)[id] || "an address not known yet";
  const report = ({ role, term, leaderId: leader }: Pick<RoleChangeEvent, "role" | "term" | "leaderId">) => {
    const fields = { role, term, leader };
    if (role === "leader") log.info(fields, `leader for term ${term}`);
    else if (leader !== undefined)
      log.info(fields, `${role} in term ${term}; the leader is member ${leader} at ${addressOf(leader)}`);
    else log.info(fields, `${role} in term ${term}; no leader known`);
  };
  report(server.service.leadership);
  const onRole = (event: RoleChangeEvent) => report(event);
  server.service.addEventListener("role", onRole);
  return () => server.service.removeEventListener("role", onRole);
}
