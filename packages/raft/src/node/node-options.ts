import type { RaftConfig } from "../config.js";
import type { Clock, PeerId, Random, Transport } from "../interfaces.js";
import type { RaftStorage } from "../storage/storage.js";
import type { ApplyMsg } from "../types.js";

export interface RaftNodeOptions<Command = unknown> {
  /** This member's id: a non-negative integer, stable for the life of its storage. */
  id: PeerId;
  /**
   * A new cluster's voters by id, the same list on every founding member; `[]` starts a member
   * that joins an existing cluster (a leader adds it with `changeMembership`). Once the log or a
   * snapshot holds a configuration, that is used instead. Default: 0 .. peerCount-1.
   */
  members?: readonly PeerId[];
  /** Shorthand for `members: [0 .. peerCount-1]`. */
  peerCount?: number;
  transport: Transport;
  storage: RaftStorage<Command>;
  clock: Clock;
  random: Random;
  /**
   * Receives committed commands and snapshots, in log order, one at a time (a returned Promise
   * holds back the next). It may call `snapshot()` or `start()` on this node. If it throws (or
   * its Promise rejects) the node stops: the replica can no longer follow the log, and skipping
   * the entry would make it diverge. To go on past a failing command, catch inside `onApply`.
   */
  onApply: (message: ApplyMsg<Command>) => void | Promise<void>;
  /**
   * Called with errors raft cannot attribute to a caller: the consumer threw (the node then
   * stops), storage failed (the node then stops: it can no longer promise durability), the
   * transport rejected. Default: the node stops and the error is rethrown
   * asynchronously (an uncaught exception), so a bug is never silent.
   */
  onError?: (error: unknown) => void;
  config?: Partial<RaftConfig>;
}
