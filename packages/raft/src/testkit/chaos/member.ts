import type { Membership, MembershipChange } from "../../core/membership.js";
import type { Clock, Random, Transport } from "../../interfaces.js";
import type { RaftState, StartResult } from "../../types.js";
import type { MemberStorage } from "./storage-model.js";

/** What a member factory gets for one incarnation of member `id`. */
export interface MemberContext<Command> {
  readonly id: number;
  /** How many founded the cluster. */
  readonly peerCount: number;
  /**
   * The founding voters (0 .. peerCount-1) for a founder; `[]` for a member with a spare id
   * started during the run, which joins once a leader adds it (raft's `members` option).
   */
  readonly members: readonly number[];
  /** Raft's transport to the other members (through the nemesis's faulty links). */
  readonly transport: Transport;
  readonly storage: MemberStorage<Command>;
  /** This member's clock: it stops while the member is paused. */
  readonly clock: Clock;
  readonly random: Random;
  /** Report an error the member cannot handle (raft's `onError`); the run records it. */
  readonly onError: (error: unknown) => void;
  /** Report what the state machine returned at an index, when the factory can see it. */
  readonly onApplied: (index: number, result: unknown) => void;
}

/** The raft node inside a member, as the nemesis and its checkers see it. */
export interface MemberRaft {
  getState(): RaftState;
  readonly commitIndex: number;
  readonly killed: boolean;
  start(command: never): StartResult;
  /** Membership faults need these (RaftNode has them); without them they are skipped. */
  readonly membership?: Membership;
  changeMembership?(change: MembershipChange, options?: { signal?: AbortSignal }): Promise<unknown>;
}

/** An RPC handler a member serves to clients. */
export type ClientHandler = (args: never) => unknown;

/** One incarnation of a member: a raft node, maybe a service on top, and how to stop it. */
export interface ChaosMember {
  readonly raft: MemberRaft;
  /** Services clients call, by labrpc service name (e.g. `{ KVServer: { Get, Put, Append } }`). */
  readonly services?: Readonly<Record<string, Readonly<Record<string, ClientHandler>>>>;
  kill(): void;
}

/** Builds one incarnation of a member (called at start and at every restart). */
export type MemberFactory<Command> = (context: MemberContext<Command>) => ChaosMember;
