import { ownString } from "./own-string.js";

/**
 * Per-client duplicate detection with memory that shrinks as clients move on.
 *
 * A client has at most one request outstanding, so a request with sequence number `s` proves the
 * client saw the replies to everything before `s`. The table therefore keeps, per client that has
 * ever written, only the sequence number of its newest Put/Append (a number in a Map), and the
 * old value returned by its newest Append only until the client sends anything newer.
 */
export class SessionTable {
  /** Newest Put/Append sequence number executed, per client id. */
  private readonly lastSeq = new Map<string, number>();
  /** The reply (old value) of a client's newest Append, kept until the client moves on. */
  private readonly appendReplies = new Map<string, string>();

  /** Number of clients with a session (clients that have written at least once). */
  get size(): number {
    return this.lastSeq.size;
  }

  /** Number of Append replies currently cached. */
  get cachedReplies(): number {
    return this.appendReplies.size;
  }

  /** The newest executed write sequence number of `clientId`, if it ever wrote. */
  last(clientId: string): number | undefined {
    return this.lastSeq.get(clientId);
  }

  /** The cached reply of the client's newest Append, if it is still kept. */
  cachedReply(clientId: string): string | undefined {
    return this.appendReplies.get(clientId);
  }

  /** Records an executed write; `reply` is the Append reply to keep for a retry, if any. */
  recordWrite(clientId: string, seq: number, reply: string | undefined): void {
    // A new entry keeps its own copy of the id, not a slice of the request it arrived in.
    this.lastSeq.set(this.lastSeq.has(clientId) ? clientId : ownString(clientId), seq);
    if (reply === undefined) this.appendReplies.delete(clientId);
    else this.appendReplies.set(this.appendReplies.has(clientId) ? clientId : ownString(clientId), reply);
  }

  /** The client sent request `seq`: it has seen every earlier reply, so drop a cached one. */
  moveOn(clientId: string, seq: number): void {
    if (this.appendReplies.size === 0) return;
    const last = this.lastSeq.get(clientId);
    if (last !== undefined && seq > last) this.appendReplies.delete(clientId);
  }

  clear(): void {
    this.lastSeq.clear();
    this.appendReplies.clear();
  }

  /** Every session in insertion order, for snapshots (deterministic across replicas). */
  entries(): IterableIterator<[string, number]> {
    return this.lastSeq.entries();
  }

  replies(): IterableIterator<[string, string]> {
    return this.appendReplies.entries();
  }
}
