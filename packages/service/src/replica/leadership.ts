import type { PeerId, RaftNode, Role } from "@raftkit/raft";

/** Role, term and known leader of a replica at one moment. */
export interface Leadership {
  readonly role: Role;
  readonly term: number;
  readonly leaderId: PeerId | undefined;
}

const same = (a: Leadership, b: Leadership) =>
  a.role === b.role && a.term === b.term && a.leaderId === b.leaderId;

const EVENTS = ["term", "role", "leader"] as const;

/**
 * Tells the service when its node's role, term or leader changes, from the node's own events
 * (dispatched as soon as raft's state changes: a deposed leader's waiters fail at once, not a
 * heartbeat later). `poke()` reads the node directly, for a check at the moment of a call.
 */
export class LeadershipWatch {
  #last: Leadership;
  #closed = false;
  readonly #onEvent = () => {
    if (!this.#closed) this.poke();
  };

  constructor(
    private readonly node: RaftNode<unknown>,
    private readonly onChange: (now: Leadership, before: Leadership) => void,
  ) {
    this.#last = this.#read();
    for (const type of EVENTS) node.addEventListener(type, this.#onEvent);
  }

  get current(): Leadership {
    return this.#last;
  }

  /** Reads the node now; calls `onChange` if something changed since the last read. */
  poke(): Leadership {
    const now = this.#read();
    if (!same(now, this.#last)) {
      const before = this.#last;
      this.#last = now;
      this.onChange(now, before);
    }
    return now;
  }

  close(): void {
    this.#closed = true;
    for (const type of EVENTS) this.node.removeEventListener(type, this.#onEvent);
  }

  #read(): Leadership {
    const { term } = this.node.getState();
    const role = this.node.killed ? "follower" : this.node.role;
    return { role, term, leaderId: role === "leader" ? this.node.id : this.node.leaderId };
  }
}
