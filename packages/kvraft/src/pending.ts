import type { KvResult } from "@raftkit/kvsrv";
import type { KvRaftReply } from "./protocol.js";

interface Waiter {
  readonly index: number;
  /** The term `start()` returned: the entry at `index` with this term is the request's. */
  readonly term: number;
  readonly deadline: number;
  readonly resolve: (reply: KvRaftReply) => void;
}

/**
 * Requests a leader has put in its log and not yet answered, by log index. Each is answered
 * when its index applies (with the result if the entry there is its own, identified by term),
 * or told to retry when that cannot happen any more.
 */
export class PendingRequests {
  private readonly byIndex = new Map<number, Waiter[]>();
  private count = 0;

  get size(): number {
    return this.count;
  }

  /** Waits for the entry `start()` placed at `index` in `term`. */
  wait(index: number, term: number, deadline: number): Promise<KvRaftReply> {
    return new Promise((resolve) => {
      const waiter: Waiter = { index, term, deadline, resolve };
      const list = this.byIndex.get(index);
      if (list) list.push(waiter);
      else this.byIndex.set(index, [waiter]);
      this.count++;
    });
  }

  /** The entry at `index`, from `term`, applied with `result`. */
  applied(index: number, term: number, result: KvResult, otherwise: KvRaftReply): void {
    const list = this.take(index);
    if (!list) return;
    for (const waiter of list) waiter.resolve(waiter.term === term ? result : otherwise);
  }

  /** A snapshot replaced everything through `index`: nobody can tell whether their entry was in it. */
  supersededThrough(index: number, reply: KvRaftReply): void {
    this.settleWhere(
      (w) => w.index <= index,
      () => reply,
    );
  }

  /** Answers (and forgets) every waiter that `match` selects. */
  settleWhere(match: (waiter: Waiter) => boolean, reply: (waiter: Waiter) => KvRaftReply): void {
    if (this.count === 0) return;
    for (const index of [...this.byIndex.keys()]) {
      const list = this.byIndex.get(index)!;
      const keep = list.filter((w) => !match(w));
      if (keep.length === list.length) continue;
      for (const w of list) if (match(w)) w.resolve(reply(w));
      this.count -= list.length - keep.length;
      if (keep.length > 0) this.byIndex.set(index, keep);
      else this.byIndex.delete(index);
    }
  }

  /** Answers every waiter with `reply`. */
  settleAll(reply: KvRaftReply): void {
    this.settleWhere(
      () => true,
      () => reply,
    );
  }

  private take(index: number): Waiter[] | undefined {
    const list = this.byIndex.get(index);
    if (!list) return undefined;
    this.byIndex.delete(index);
    this.count -= list.length;
    return list;
  }
}
