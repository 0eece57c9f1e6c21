import type { KvRaftServer } from "@raftkit/kvraft";
import { type LockCommand, LockMachine, type LockResult, type LockState } from "@raftkit/locks";
import type { SnapshotMeta, StateMachine } from "@raftkit/raft";
import type { ChaosMember } from "@raftkit/raft/testkit";
import type { labrpcHandlers } from "@raftkit/service";

type Handlers = ReturnType<typeof labrpcHandlers>;

/** How long the broken cache trusts a value it read (virtual ms). */
const CACHE_MS = 300;

/**
 * Negative control: Gets are answered from a per-server cache of earlier answers for up to
 * 300 ms, without asking raft — a stale read as soon as anyone writes in that window.
 */
export function staleCachedReads(
  _server: KvRaftServer,
  handlers: Handlers,
  clock: { now(): number },
): ChaosMember["services"] {
  {
    const cache = new Map<string, { reply: unknown; at: number }>();
    return {
      Service: {
        ...handlers,
        Read: (args: unknown) => {
          const key = String((args as { query?: unknown })?.query);
          const hit = cache.get(key);
          if (hit && clock.now() - hit.at < CACHE_MS) return hit.reply;
          const reply = handlers.Read(args);
          void Promise.resolve(reply).then((r) => {
            if ((r as { status?: string }).status === "ok") cache.set(key, { reply: r, at: clock.now() });
          });
          return reply;
        },
      },
    };
  }
}

/**
 * Negative control: a leader acknowledges a Put or Append as soon as it is in its own log,
 * before a majority has it — the write is lost when that leader is deposed.
 */
export function acknowledgeBeforeCommit(server: KvRaftServer, handlers: Handlers): ChaosMember["services"] {
  const early = (args: unknown) => {
    const reply = handlers.Submit(args);
    return server.raft.getState().isLeader ? { status: "ok" } : reply;
  };
  return { Service: { ...handlers, Submit: early } };
}

/**
 * Negative control: a lock table whose snapshots forget who holds each lock (tokens are kept) —
 * a replica restored from one grants a held lock to a second owner.
 */
export class ForgetfulLockMachine implements StateMachine<LockCommand, LockResult, string, LockState> {
  #locks = new LockMachine();
  readonly #names = new Set<string>();

  apply(command: LockCommand, index: number): LockResult {
    this.#names.add(command.lock);
    return this.#locks.apply(command, index);
  }

  query(lock: string): LockState {
    return this.#locks.query(lock);
  }

  snapshot(): Uint8Array {
    const copy = new LockMachine();
    copy.restore(this.#locks.snapshot(), { index: 0, term: 0 });
    for (const lock of this.#names) {
      const { holder } = copy.query(lock);
      if (holder !== undefined) copy.apply({ op: "release", lock, owner: holder }, 0);
    }
    return copy.snapshot();
  }

  restore(snapshot: Uint8Array, meta: SnapshotMeta): void {
    this.#locks = new LockMachine();
    this.#locks.restore(snapshot, meta);
  }
}
