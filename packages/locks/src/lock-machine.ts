import type { SnapshotMeta, StateMachine } from "@raftkit/raft";
import { decode, encode } from "cbor-x";

/** Take or give back a named lock on behalf of `owner`. */
export type LockCommand =
  | { readonly op: "acquire"; readonly lock: string; readonly owner: string }
  | { readonly op: "release"; readonly lock: string; readonly owner: string };

/**
 * Acquire: granted with a fencing token (the log index of the grant, so tokens of a lock only
 * grow), or refused naming the holder. Acquiring a lock one holds is granted again with the same
 * token. Release: whether `owner` held it (and now does not).
 */
export type LockResult =
  | { readonly granted: true; readonly token: number }
  | { readonly granted: false; readonly holder: string }
  | { readonly released: boolean };

/** Who holds `lock`, and the token of the newest grant (0: never granted). */
export interface LockState {
  readonly holder: string | undefined;
  readonly token: number;
}

/** A lock table with fencing tokens, as a deterministic state machine. */
export class LockMachine implements StateMachine<LockCommand, LockResult, string, LockState> {
  #locks = new Map<string, { holder: string | undefined; token: number }>();

  apply(command: LockCommand, index: number): LockResult {
    const lock = this.#locks.get(command.lock) ?? { holder: undefined, token: 0 };
    this.#locks.set(command.lock, lock);
    if (command.op === "release") {
      const held = lock.holder === command.owner;
      if (held) lock.holder = undefined;
      return { released: held };
    }
    if (lock.holder === command.owner) return { granted: true, token: lock.token };
    if (lock.holder !== undefined) return { granted: false, holder: lock.holder };
    lock.holder = command.owner;
    lock.token = index;
    return { granted: true, token: index };
  }

  query(lock: string): LockState {
    const state = this.#locks.get(lock);
    return { holder: state?.holder, token: state?.token ?? 0 };
  }

  snapshot(): Uint8Array {
    return encode([...this.#locks]);
  }

  restore(snapshot: Uint8Array, _meta: SnapshotMeta): void {
    this.#locks = new Map(decode(snapshot) as [string, { holder: string | undefined; token: number }][]);
  }
}

/** Checks commands and queries from the wire (for `serviceHandler`; anything else is refused MALFORMED). */
export const lockParsers = {
  parseCommand: (value: unknown) => parseLockCommand(value),
  parseQuery(value: unknown): string {
    if (typeof value !== "string") throw new TypeError("a lock query is the lock's name, a string");
    return value;
  },
};

function parseLockCommand(value: unknown): LockCommand {
  const v = value as Partial<Record<string, unknown>> | null;
  if (
    typeof v === "object" &&
    v !== null &&
    (v.op === "acquire" || v.op === "release") &&
    typeof v.lock === "string" &&
    typeof v.owner === "string"
  ) {
    return { op: v.op, lock: v.lock, owner: v.owner };
  }
  throw new TypeError('a lock command is { op: "acquire" | "release", lock: string, owner: string }');
}
