import type { Clock, PeerId, RaftNode, Role, Timer } from "@raftkit/raft";

/** Role, term and known leader of a replica at one moment. */
export interface Leadership {
  readonly role: Role;
  readonly term: number;
  readonly leaderId: PeerId | undefined;
}

const same = (a: Leadership, b: Leadership) =>
  a.role === b.role && a.term === b.term && a.leaderId === b.leaderId;

/**
 * Tells the service when its node's role, term or leader changes. RaftNode does not dispatch
 * such events yet, so this looks every `intervalMs` (one heartbeat: a leader learns it was
 * deposed no sooner than its next exchange anyway); `poke()` looks at once (after an apply or a
 * proposal). One place to switch to the node's own events when it has them.
 */
export class LeadershipWatch {
  #last: Leadership;
  #timer: Timer | undefined;
  #closed = false;

  constructor(
    private readonly node: RaftNode<unknown>,
    private readonly clock: Clock,
    private readonly intervalMs: number,
    private readonly onChange: (now: Leadership, before: Leadership) => void,
  ) {
    this.#last = this.#read();
    this.#arm();
  }

  get current(): Leadership {
    return this.#last;
  }

  /** Looks now; calls `onChange` if something changed since the last look. */
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
    this.#timer?.cancel();
    this.#timer = undefined;
  }

  #read(): Leadership {
    const { term } = this.node.getState();
    const role = this.node.killed ? "follower" : this.node.role;
    return { role, term, leaderId: role === "leader" ? this.node.id : this.node.leaderId };
  }

  #arm(): void {
    if (this.#closed) return;
    this.#timer = this.clock.setTimer(this.intervalMs, () => {
      this.#timer = undefined;
      if (this.#closed) return;
      this.poke();
      this.#arm();
    });
  }
}
