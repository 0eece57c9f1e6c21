import type { Membership } from "../core/membership.js";
import type { PeerId } from "../interfaces.js";
import type { Role } from "../types.js";
import type { RaftNodeEventMap } from "./events.js";

/** What the node's events report, as the core shows it. */
interface Observed {
  readonly term: number;
  readonly role: Role;
  readonly leaderId: PeerId | undefined;
  readonly membership: Membership;
  readonly membershipIndex: number;
}

type EventType = keyof RaftNodeEventMap & string;
type Detail<K extends EventType> = RaftNodeEventMap[K] extends CustomEvent<infer D> ? D : never;
type Emit = <K extends EventType>(type: K, detail: Detail<K>) => void;

/** Turns changes of the core's term, role, leader and configuration into events, each reported once. */
export class ChangeEvents {
  /** What the last events reported. */
  #seen: { term: number; role: Role; leaderId: PeerId | undefined; membership: Membership };

  constructor(core: Observed) {
    const { term, role, leaderId, membership } = core;
    this.#seen = { term, role, leaderId, membership };
  }

  /** Emits `term`, `role`, `leader` and `membership` events for what changed since the last call. */
  report(core: Observed, emit: Emit): void {
    const { term, role, leaderId, membership } = core;
    const seen = this.#seen;
    if (
      term === seen.term &&
      role === seen.role &&
      leaderId === seen.leaderId &&
      membership === seen.membership
    )
      return;
    this.#seen = { term, role, leaderId, membership };
    if (term !== seen.term) emit("term", { term });
    if (role !== seen.role) emit("role", { role, term });
    if (leaderId !== seen.leaderId) emit("leader", { leaderId, term });
    if (membership !== seen.membership) emit("membership", { membership, index: core.membershipIndex, term });
  }
}
