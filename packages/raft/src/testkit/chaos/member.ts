import type { Clock, Random, Transport } from "../../interfaces.js";
import type { RaftState, StartResult } from "../../types.js";
import type { MemberStorage } from "./storage-model.js";

/** What a member factory gets for one incarnation of member `id`. */
export interface MemberContext<Command> {
  readonly id: number;
  readonly peerCount: number;
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
