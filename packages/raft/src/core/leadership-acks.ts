import type { PeerId } from "../interfaces.js";
import { isMajority, majorityValueOf } from "./quorum.js";

interface Stamp {
  /** Numbers the leader's messages in the order it sent them (per term, from 1). */
  readonly seq: number;
  /** The leader's clock when it sent the message. */
  readonly sentAt: number;
}

const NONE: Stamp = Object.freeze({ seq: 0, sentAt: Number.NEGATIVE_INFINITY });

/**
 * What a leader knows of its followers' recognition of its leadership. Each AppendEntries and
 * InstallSnapshot it sends is stamped with a number and a time; a reply in its term (success or
 * not) acknowledges that message. From these: ReadIndex (a majority acknowledged a message sent
 * after the read arrived), the lease (when the latest message a majority acknowledged was sent)
 * and check-quorum (a majority replied during the last election timeout).
 */
export class LeadershipAcks {
  #seq = 0;
  /**
   * Where a message carries this leadership's stamp (the driver hands the same args object back
   * with the reply): a property under a symbol of this instance's own, so a message stamped in an
   * earlier leadership is never taken for one of this. Not a WeakMap: its insert per message was
   * 2% of kvraft-labrpc-3's CPU profile. Symbols cross no wire (cbor-x and JSON skip them, the
   * TCP codec writes named fields).
   */
  readonly #key = Symbol("leadership stamp");
  /** Per member: the stamp of the latest message it acknowledged (self: always current). */
  readonly #acked = new Map<PeerId, Stamp>();
  /** Members that replied since the last `takeActive()`. */
  #active = new Set<PeerId>();

  constructor(private readonly self: PeerId) {}

  /** The number of the latest message sent: a read registered now waits for a later one. */
  get lastSeq(): number {
    return this.#seq;
  }

  stamp(message: object, now: number): void {
    (message as Record<symbol, Stamp>)[this.#key] = { seq: ++this.#seq, sentAt: now };
  }

  /** `from` replied, in the leader's term, to `message`. */
  acknowledge(from: PeerId, message: object): void {
    this.#active.add(from);
    const stamp = (message as Record<symbol, Stamp | undefined>)[this.#key];
    const acked = this.#acked.get(from) ?? NONE;
    if (stamp && stamp.seq > acked.seq) this.#acked.set(from, stamp);
  }

  /**
   * The highest message number that a majority of `voters` (the leader, when one of them,
   * counting as current) has acknowledged.
   */
  confirmedSeq(voters: readonly PeerId[]): number {
    return majorityValueOf(voters, (peer) =>
      peer === this.self ? Number.POSITIVE_INFINITY : (this.#acked.get(peer) ?? NONE).seq,
    );
  }

  /** When the latest message a majority of `voters` (the leader as of `now`) acknowledged was sent. */
  confirmedSentAt(now: number, voters: readonly PeerId[]): number {
    return majorityValueOf(voters, (peer) =>
      peer === this.self ? now : (this.#acked.get(peer) ?? NONE).sentAt,
    );
  }

  /** Check-quorum: whether a majority of `voters` (the leader included) replied since the last call; resets. */
  takeActive(voters: readonly PeerId[]): boolean {
    let count = 0;
    for (const peer of voters) if (peer === this.self || this.#active.has(peer)) count++;
    this.#active = new Set();
    return isMajority(count, voters.length);
  }
}
