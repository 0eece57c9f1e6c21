import type { StateMachine } from "@raftkit/raft";
import { ownString } from "@raftkit/service";
import type { AppendCommand, KvCommand, KvOk, KvResult, PutCommand } from "./commands.js";
import { MalformedCommandError } from "./errors.js";
import { decodeSnapshot, encodeSnapshot } from "./snapshot-codec.js";
import { malformedResult, parseKvCommand } from "./validate.js";

export interface KvStateMachineOptions {
  /**
   * Whether Append returns the value it replaced (MIT 6.5840 lab 2; the default). Turn it off
   * when clients do not need it (lab 4): then a retried Append has no old value to be answered with.
   */
  appendReturnsOldValue?: boolean;
}

const OK: KvOk = Object.freeze({ status: "ok" });

/**
 * A string key/value store as a deterministic state machine: feed it the same commands in the
 * same order and every replica ends in the same state. It executes whatever it is given:
 * exactly-once execution of retried writes is the session layer's job (`SessionTable` from
 * `@raftkit/service`, used by kvsrv's KvServer and by every ReplicatedService). kvsrv's single
 * server applies commands as they arrive; kvraft applies them as raft commits them.
 * `snapshot()` captures the data; `restore()` replaces it.
 */
export class KvStateMachine implements StateMachine<KvCommand, KvResult, string, KvOk> {
  private readonly data = new Map<string, string>();
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
        return this.getResult(checked.key);
      case "delete":
        this.data.delete(checked.key);
        return OK;
      case "put":
      case "append":
        return this.write(checked);
    }
  }

  /**
   * The value of `key` (`""` when absent): for reads that bypass the log, once the caller knows
   * this replica is up to date.
   */
  read(key: string): string {
    return this.data.get(key) ?? "";
  }

  /** The value of `key`, or `undefined` when it has none (an empty value is `""`). */
  lookup(key: string): string | undefined {
    return this.data.get(key);
  }

  /** A read outside the log (a query of the service layer): `getResult(key)`. */
  query(key: string): KvOk {
    return this.getResult(key);
  }

  /** A Get's result: with the value, or without one when the key is absent. */
  getResult(key: string): KvOk {
    const value = this.data.get(key);
    return value === undefined ? OK : { status: "ok", value };
  }

  /** Number of keys stored. */
  get keyCount(): number {
    return this.data.size;
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
    return encodeSnapshot({ lastIndex: this.lastIndex, keys, values });
  }

  /** Replaces all state with the snapshot's. Bad bytes throw SnapshotFormatError and change nothing. */
  restore(snapshot: Uint8Array): void {
    const contents = decodeSnapshot(snapshot);
    this.data.clear();
    // Decoded strings are slices of larger ones (see ownString): keep copies that own their memory.
    for (let i = 0; i < contents.keys.length; i++) {
      this.data.set(ownString(contents.keys[i]!), ownString(contents.values[i]!));
    }
    this.lastIndex = contents.lastIndex;
  }

  private write(command: PutCommand | AppendCommand): KvResult {
    // Keys and values outlive the command: store copies that own their memory.
    const key = this.data.has(command.key) ? command.key : ownString(command.key);
    if (command.op === "put") {
      this.data.set(key, ownString(command.value));
      return OK;
    }
    const old = this.read(key);
    this.data.set(key, old + ownString(command.value));
    return this.appendReturnsOldValue ? { status: "ok", value: old } : OK;
  }
}
