import type { StateMachine } from "@raftkit/raft";
import type {
  AppendCommand,
  DeleteCommand,
  KvCommand,
  KvOk,
  KvResult,
  KvSuperseded,
  PutCommand,
} from "./commands.js";
import { MalformedCommandError } from "./errors.js";
import { ownString } from "./own-string.js";
import { SessionTable } from "./sessions.js";
import { decodeSnapshot, encodeSnapshot } from "./snapshot-codec.js";
import { malformedResult, parseKvCommand } from "./validate.js";

export interface KvStateMachineOptions {
  /**
   * Whether Append returns the value it replaced (MIT 6.5840 lab 2; the default). Turn it off
   * when clients do not need it (lab 4): then no Append reply is cached for retries at all.
   */
  appendReturnsOldValue?: boolean;
}

const OK: KvOk = Object.freeze({ status: "ok" });
const SUPERSEDED: KvSuperseded = Object.freeze({ status: "superseded" });

/**
 * A string key/value store with exactly-once execution of Put, Append and Delete, as a deterministic
 * state machine: feed it the same commands in the same order and every replica ends in the same
 * state. kvsrv's single server applies commands as they arrive; kvraft applies them as raft
 * commits them. `snapshot()` captures the data and the client sessions; `restore()` replaces both.
 *
 * Memory: Gets keep no per-client state; a client that writes keeps one sequence number; the old
 * value returned by a client's newest Append is kept only until that client sends anything newer.
 */
export class KvStateMachine implements StateMachine<KvCommand, KvResult, string, KvOk> {
  private readonly data = new Map<string, string>();
  private readonly sessions = new SessionTable();
  private readonly appendReturnsOldValue: boolean;
  private lastIndex = 0;

  constructor(options: KvStateMachineOptions = {}) {
    this.appendReturnsOldValue = options.appendReturnsOldValue ?? true;
  }

  /**
   * Executes `command` (committed at log position `index`; any increasing numbering will do) and
   * returns its result. A malformed command — possible when commands arrive as untyped data —
   * executes nothing and returns a `malformed` result; it never throws.
   */
  apply(command: KvCommand, index: number): KvResult {
    if (index > this.lastIndex) this.lastIndex = index;
    let checked: KvCommand;
    try {
      checked = parseKvCommand(command);
    } catch (error) {
      if (error instanceof MalformedCommandError) return malformedResult(error);
      throw error;
    }
    switch (checked.op) {
      case "get":
        if (checked.clientId !== undefined && checked.seq !== undefined) {
          this.sessions.moveOn(checked.clientId, checked.seq);
        }
        return this.getResult(checked.key);
      case "put":
      case "append":
      case "delete":
        return this.write(checked);
    }
  }

  /**
   * The value of `key` (`""` when absent), without touching any session: for reads that bypass
   * the log, once the caller knows this replica is up to date.
   */
  read(key: string): string {
    return this.data.get(key) ?? "";
  }

  /** The value of `key`, or `undefined` when it has none (an empty value is `""`). */
  lookup(key: string): string | undefined {
    return this.data.get(key);
  }

  /** A Get's result: with the value, or without one when the key is absent. */
  /** A read outside the log (a query of the service layer): `getResult(key)`. */
  query(key: string): KvOk {
    return this.getResult(key);
  }

  getResult(key: string): KvOk {
    const value = this.data.get(key);
    return value === undefined ? OK : { status: "ok", value };
  }

  /** Number of keys stored. */
  get keyCount(): number {
    return this.data.size;
  }

  /** Number of clients with a session, and how many of them have an Append reply cached. */
  get sessionStats(): { clients: number; cachedReplies: number } {
    return { clients: this.sessions.size, cachedReplies: this.sessions.cachedReplies };
  }

  /** The highest index passed to `apply` (or restored from a snapshot). */
  get lastAppliedIndex(): number {
    return this.lastIndex;
  }

  snapshot(): Uint8Array {
    const keys: string[] = [];
    const values: string[] = [];
    for (const [key, value] of this.data) {
      keys.push(key);
      values.push(value);
    }
    const clientIds: string[] = [];
    const seqs: number[] = [];
    for (const [clientId, seq] of this.sessions.entries()) {
      clientIds.push(clientId);
      seqs.push(seq);
    }
    const replyClientIds: string[] = [];
    const replies: string[] = [];
    for (const [clientId, reply] of this.sessions.replies()) {
      replyClientIds.push(clientId);
      replies.push(reply);
    }
    return encodeSnapshot({
      lastIndex: this.lastIndex,
      keys,
      values,
      clientIds,
      seqs,
      replyClientIds,
      replies,
    });
  }

  /** Replaces all state with the snapshot's. Bad bytes throw SnapshotFormatError and change nothing. */
  restore(snapshot: Uint8Array): void {
    const contents = decodeSnapshot(snapshot);
    this.data.clear();
    this.sessions.clear();
    // Decoded strings are slices of larger ones (see ownString): keep copies that own their memory.
    for (let i = 0; i < contents.keys.length; i++) {
      this.data.set(ownString(contents.keys[i]!), ownString(contents.values[i]!));
    }
    for (let i = 0; i < contents.clientIds.length; i++) {
      this.sessions.recordWrite(contents.clientIds[i]!, contents.seqs[i]!, undefined);
    }
    for (let i = 0; i < contents.replyClientIds.length; i++) {
      const clientId = contents.replyClientIds[i]!;
      const seq = this.sessions.last(clientId);
      if (seq !== undefined) this.sessions.recordWrite(clientId, seq, ownString(contents.replies[i]!));
    }
    this.lastIndex = contents.lastIndex;
  }

  private write(command: PutCommand | AppendCommand | DeleteCommand): KvResult {
    const { clientId, seq } = command;
    const last = this.sessions.last(clientId);
    if (last !== undefined && seq <= last) return seq < last ? SUPERSEDED : this.duplicate(command);
    if (command.op === "delete") {
      this.data.delete(command.key);
      this.sessions.recordWrite(clientId, seq, undefined);
      return OK;
    }
    // Keys and values outlive the command: store copies that own their memory (the session
    // table does the same for client ids).
    const key = this.data.has(command.key) ? command.key : ownString(command.key);
    const old = this.read(key);
    if (command.op === "put") {
      this.data.set(key, ownString(command.value));
      this.sessions.recordWrite(clientId, seq, undefined);
      return OK;
    }
    this.data.set(key, old + ownString(command.value));
    if (!this.appendReturnsOldValue) {
      this.sessions.recordWrite(clientId, seq, undefined);
      return OK;
    }
    this.sessions.recordWrite(clientId, seq, old);
    return { status: "ok", value: old };
  }

  /** A retry of the client's newest write: answer as the first time, without executing it again. */
  private duplicate(command: PutCommand | AppendCommand | DeleteCommand): KvResult {
    if (command.op !== "append" || !this.appendReturnsOldValue) return OK;
    const reply = this.sessions.cachedReply(command.clientId);
    // No cached reply means the client already sent something newer, so nobody awaits this one.
    return reply === undefined ? SUPERSEDED : { status: "ok", value: reply };
  }
}
