import { defineModel } from "../model.js";
import { structuralHash } from "../structural.js";

export type RegisterValue = string | number;

export type RegisterInput =
  | { op: "read" }
  | { op: "write"; value: RegisterValue }
  | { op: "cas"; from: RegisterValue; to: RegisterValue };

/**
 * `read` answers `{ value }` (null: never written); `cas` answers `{ ok }`; `write` answers `{}`.
 * `{ unknown: true }` is an indeterminate outcome (e.g. a timeout): consistent with any state.
 */
export interface RegisterOutput {
  unknown?: boolean;
  value?: RegisterValue | null;
  ok?: boolean;
}

/** The register's value; null until the first write. */
export type RegisterState = RegisterValue | null;

/** A single read/write/compare-and-set register, initially empty (null): the model of Jepsen's etcd test. */
export const registerModel = defineModel<RegisterState, RegisterInput, RegisterOutput>({
  name: "register",
  init: () => null,
  step(state, input, output) {
    switch (input.op) {
      case "read":
        return { ok: output.unknown === true || output.value === state, state };
      case "write":
        return { ok: true, state: input.value };
      case "cas": {
        const matches = state === input.from;
        const ok = output.unknown === true || output.ok === matches;
        return { ok, state: matches ? input.to : state };
      }
      default:
        return { ok: false, state };
    }
  },
  equal: (a, b) => a === b,
  hash: (state) => structuralHash(state),
  validateOperation(input, output) {
    if (typeof input !== "object" || input === null) return "input must be an object { op, ... }";
    if (typeof output !== "object" || output === null) return `${input.op}: output must be an object`;
    if (output.unknown === true) return undefined;
    switch (input.op) {
      case "read":
        return output.value === undefined ? "read: output.value must be a value or null" : undefined;
      case "write":
        return undefined;
      case "cas":
        return typeof output.ok === "boolean" ? undefined : "cas: output.ok must be a boolean";
      default:
        return `unknown op ${JSON.stringify((input as { op: unknown }).op)} (expected "read", "write" or "cas")`;
    }
  },
  describeOperation(input, output) {
    const result = output.unknown === true ? "?" : undefined;
    switch (input.op) {
      case "read":
        return `read() -> ${result ?? String(output.value)}`;
      case "write":
        return `write(${input.value})${result === undefined ? "" : " -> ?"}`;
      case "cas":
        return `cas(${input.from}, ${input.to}) -> ${result ?? (output.ok ? "ok" : "fail")}`;
      default:
        return "<invalid>";
    }
  },
  describeState: (state) => (state === null ? "empty" : String(state)),
});
