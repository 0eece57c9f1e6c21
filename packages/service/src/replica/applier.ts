import type { ApplyMsg, StateMachine } from "@raftkit/raft";
import { SessionExpiredError, SupersededError } from "../errors.js";
import { checkEntry, type EntryParts, type ServiceEntry } from "./entry.js";
import type { SessionTable } from "./sessions.js";
import { decodeServiceSnapshot, encodeServiceSnapshot } from "./snapshot-codec.js";
import type { Outcome } from "./waiters.js";

/**
 * Applies committed entries to the user's state machine in log order, with the session table
 * deciding which session commands execute: the part of a replica every member runs the same way.
 */
export class Applier<Command, Result> {
  #lastApplied = 0;
  #lastAppliedTerm = 0;

  constructor(
    private readonly machine: StateMachine<Command, Result, unknown, unknown>,
    private readonly sessions: SessionTable,
  ) {}

  /** The highest log index applied here (a snapshot's last index after a restore). */
  get lastApplied(): number {
    return this.#lastApplied;
  }

  /** The term of the entry at `lastApplied`. */
  get lastAppliedTerm(): number {
    return this.#lastAppliedTerm;
  }

  /** Applies one committed entry; returns what its proposer gets. */
  applyEntry(message: Extract<ApplyMsg<ServiceEntry<Command>>, { kind: "command" }>): Outcome {
    if (message.index !== this.#lastApplied + 1) {
      throw new RangeError(
        `raft applied index ${message.index} after ${this.#lastApplied}: entries must come in order`,
      );
    }
    const outcome = this.#execute(checkEntry<Command>(message.command), message.index);
    this.#lastApplied = message.index;
    this.#lastAppliedTerm = message.term;
    return outcome;
  }

  /** Raft's no-op entry (one per new leader's term): nothing to apply, the index moves on. */
  skipNoOp(message: Extract<ApplyMsg<unknown>, { kind: "noop" | "config" }>): void {
    if (message.index !== this.#lastApplied + 1) {
      throw new RangeError(
        `raft applied index ${message.index} after ${this.#lastApplied}: entries must come in order`,
      );
    }
    this.#lastApplied = message.index;
    this.#lastAppliedTerm = message.term;
  }

  /** Replaces the state with a snapshot's (throws SnapshotFormatError, changing nothing, on bad bytes). */
  restore(message: Extract<ApplyMsg<unknown>, { kind: "snapshot" }>): void {
    const { machine, sessions } = decodeServiceSnapshot(message.snapshot);
    this.machine.restore(machine, { index: message.index, term: message.term });
    this.sessions.restore(sessions);
    this.#lastApplied = message.index;
    this.#lastAppliedTerm = message.term;
  }

  /** Everything applied so far, as one snapshot. */
  snapshot(): Uint8Array {
    return encodeServiceSnapshot({ machine: this.machine.snapshot(), sessions: this.sessions.records() });
  }

  #execute(entry: EntryParts<Command>, index: number): Outcome {
    switch (entry.kind) {
      case "command":
        return { ok: true, value: this.machine.apply(entry.command, index) };
      case "open":
        // The session's id is the index of the entry that opened it: unique, and the same everywhere.
        this.sessions.open(index, index);
        return { ok: true, value: index };
      case "barrier":
        return { ok: true, value: undefined };
      case "session": {
        const { sessionId, seq } = entry;
        const outcome = this.sessions.execute(sessionId, seq, index, () =>
          this.machine.apply(entry.command, index),
        );
        switch (outcome.kind) {
          case "executed":
          case "duplicate":
            return { ok: true, value: outcome.result };
          case "superseded":
            return { ok: false, error: new SupersededError(sessionId, seq) };
          case "expired":
            return { ok: false, error: new SessionExpiredError(sessionId) };
        }
      }
    }
  }
}
