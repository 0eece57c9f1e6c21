import { defineModel } from "@raftkit/porcupine";
import type { HistoryInput, HistoryOutput } from "@raftkit/service/testkit";
import type { LockCommand, LockResult, LockState } from "../../src/index.js";

type Input = HistoryInput<LockCommand, string>;
type Output = HistoryOutput<LockResult | LockState>;
/** One lock: who holds it, and the newest token granted. */
type State = { holder: string | null; token: number };

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/**
 * The lock service's specification for one lock: a grant needs the lock free (or already held
 * by the same owner, same token) and its token must exceed every earlier grant's — the fencing
 * property; release frees the lock only for its holder; a read sees holder and newest token.
 */
export const lockModel = defineModel<State, Input, Output>({
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
  describeOperation: (input, output) =>
    `${input.kind === "read" ? "read" : `${input.command.op} ${input.command.owner}`} -> ${JSON.stringify(output)}`,
});
