import type { PeerId, Role } from "@raftkit/raft";

/** This replica's role, term or known leader changed. */
export class RoleChangeEvent extends Event {
  constructor(
    readonly role: Role,
    readonly term: number,
    /** The leader this replica knows of in `term`, if any (itself when `role` is "leader"). */
    readonly leaderId: PeerId | undefined,
  ) {
    super("role");
  }
}

/** This replica installed a snapshot (from the leader, or its own at start) or took one. */
export class SnapshotEvent extends Event {
  constructor(
    readonly kind: "taken" | "installed",
    readonly index: number,
    readonly term: number,
    readonly sizeBytes: number,
  ) {
    super("snapshot");
  }
}

/** The events a ReplicatedService dispatches. */
export interface ServiceEventMap {
  role: RoleChangeEvent;
  snapshot: SnapshotEvent;
}
