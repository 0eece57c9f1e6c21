import type { KvOk } from "@raftkit/kvsrv";
import type { PeerId, Transport } from "@raftkit/raft";
import type { KvRaftReply } from "./protocol.js";

interface PendingRead {
  readonly key: string;
  /** The leader's term when the read arrived. */
  readonly term: number;
  /** AppendEntries sent before the read arrived have sequence numbers up to this one. */
  readonly afterSeq: number;
  /** The commit index when the read arrived: the answer must reflect at least this much. */
  readonly readIndex: number;
  readonly deadline: number;
  confirmed: boolean;
  readonly resolve: (reply: KvRaftReply) => void;
}

interface Ack {
  term: number;
  seq: number;
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null;

/**
 * ReadIndex reads (Raft thesis §6.4) without a raft API for them. A leader that has committed
 * an entry of its term takes a Get's read index (its commit index on arrival); the read is
 * served from the state machine, without a log entry, once (1) a majority has answered, in that
 * term, an AppendEntries raft sent after the read arrived — so no newer leader existed when it
 * arrived — and (2) the state machine has applied through the read index.
 *
 * Confirmation is learnt by watching raft's own AppendEntries (`observe` wraps its transport),
 * so a read waits for the next replication or heartbeat round; a `readIndex()` call in raft
 * that sends a heartbeat at once would make it faster (see the package README).
 */
export class ReadIndexReads {
  private readonly quorum: number;
  private readonly acks = new Map<PeerId, Ack>();
  private seq = 0;
  private reads: PendingRead[] = [];

  constructor(
    peerCount: number,
    private readonly applied: () => number,
    /** A Get's result from the state machine as it is now. */
    private readonly read: (key: string) => KvOk,
  ) {
    this.quorum = Math.floor(peerCount / 2) + 1;
  }

  get size(): number {
    return this.reads.length;
  }

  /** The transport to give raft: the same calls, with AppendEntries replies observed. */
  observe(transport: Transport): Transport {
    return {
      call: async (to, method, args) => {
        if (method !== "AppendEntries" || !isRecord(args)) return transport.call(to, method, args);
        const seq = ++this.seq;
        const result = await transport.call(to, method, args);
        if (result.ok && isRecord(result.reply) && result.reply.term === args.term) {
          this.ack(to, args.term as number, seq);
        }
        return result;
      },
      listen: (handler) => transport.listen(handler),
      close: () => transport.close?.(),
    };
  }

  /** Registers a Get arriving at the leader of `term`, whose commit index is `readIndex`. */
  wait(key: string, term: number, readIndex: number, deadline: number): Promise<KvRaftReply> {
    return new Promise((resolve) => {
      const read: PendingRead = {
        key,
        term,
        afterSeq: this.seq,
        readIndex,
        deadline,
        confirmed: false,
        resolve,
      };
      read.confirmed = this.isConfirmed(read);
      this.reads.push(read);
      this.serveReady();
    });
  }

  /** Called after each apply: serves confirmed reads whose index has been applied. */
  serveReady(): void {
    if (this.reads.length === 0) return;
    const applied = this.applied();
    this.settleWhere(
      (r) => r.confirmed && r.readIndex <= applied,
      (r): KvOk => this.read(r.key),
    );
  }

  /** Answers (and forgets) every read that `match` selects. */
  settleWhere(match: (read: PendingRead) => boolean, reply: (read: PendingRead) => KvRaftReply): void {
    if (this.reads.length === 0) return;
    const keep: PendingRead[] = [];
    const done: PendingRead[] = [];
    for (const r of this.reads) (match(r) ? done : keep).push(r);
    if (done.length === 0) return;
    this.reads = keep;
    for (const r of done) r.resolve(reply(r));
  }

  private ack(peer: PeerId, term: number, seq: number): void {
    const previous = this.acks.get(peer);
    if (previous && (previous.term > term || (previous.term === term && previous.seq >= seq))) return;
    this.acks.set(peer, { term, seq });
    let newlyConfirmed = false;
    for (const r of this.reads) {
      if (!r.confirmed && this.isConfirmed(r)) {
        r.confirmed = true;
        newlyConfirmed = true;
      }
    }
    if (newlyConfirmed) this.serveReady();
  }

  /** This member plus the followers that answered, in the read's term, something sent after it. */
  private isConfirmed(read: PendingRead): boolean {
    let votes = 1;
    for (const ack of this.acks.values()) if (ack.term === read.term && ack.seq > read.afterSeq) votes++;
    return votes >= this.quorum;
  }
}
