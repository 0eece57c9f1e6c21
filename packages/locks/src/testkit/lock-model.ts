import { defineModel, type Operation } from "@raftkit/porcupine";
import type { HistoryInput, HistoryOutput } from "@raftkit/service/testkit";
import type { LockCommand, LockResult, LockState } from "../lock-machine.js";

export type LockInput = HistoryInput<LockCommand, string>;
export type LockOutput = HistoryOutput<LockResult | LockState>;
/** One lock: who holds it, and the newest token granted. */
export type LockModelState = { holder: string | null; token: number };

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
const lockOf = (input: LockInput) => (input.kind === "read" ? input.query : input.command.lock);

/**
 * The lock service's specification, lock by lock: a grant needs the lock free (or already held
 * by the same owner, same token) and its token must exceed every earlier grant's — the fencing
 * property; release frees the lock only for its holder; a read sees holder and newest token.
 * A failed operation is illegal: clients here retry until they get an answer.
 */
export const lockModel = defineModel<LockModelState, LockInput, LockOutput>({
  name: "lock",
  init: () => ({ holder: null, token: 0 }),
  step(state, input, output) {
    if (!output.ok) return { ok: false, state };
    const value = output.value as Record<string, unknown>;
    if (input.kind === "read") {
      return { ok: same({ holder: value.holder ?? null, token: value.token }, state), state };
    }
    const { op, owner } = input.command;
    if (op === "release") {
      const held = state.holder === owner;
      return { ok: value.released === held, state: held ? { ...state, holder: null } : state };
    }
    if (state.holder === owner) return { ok: value.granted === true && value.token === state.token, state };
    if (state.holder !== null) return { ok: value.granted === false && value.holder === state.holder, state };
    const token = value.token as number;
    return { ok: value.granted === true && token > state.token, state: { holder: owner, token } };
  },
  // Locks are independent: each is checked on its own, which keeps long histories cheap.
  partition(history: Operation<LockInput, LockOutput>[]) {
    const byLock = new Map<string, Operation<LockInput, LockOutput>[]>();
    for (const op of history) {
      const lock = lockOf(op.input);
      const ops = byLock.get(lock) ?? [];
      ops.push(op);
      byLock.set(lock, ops);
    }
    return [...byLock.values()];
  },
  describePartition: (history) => (history[0] ? `lock ${lockOf(history[0].input)}` : "no lock"),
  describeOperation: (input, output) =>
    `${input.kind === "read" ? `read ${input.query}` : `${input.command.op} ${input.command.lock} ${input.command.owner}`} -> ${JSON.stringify(output)}`,
});
