import { fnv1a } from "../hash.js";
import type { Model } from "../model.js";
import type { Operation } from "../types.js";

export type KvInput = { op: "get" | "put" | "append"; key: string; value?: string };
export type KvOutput = { value?: string };

/** The value of one key, with its FNV-1a hash kept incrementally (appends only hash the suffix). */
export interface KvState {
  readonly value: string;
  readonly hash: number;
}

const EMPTY: KvState = { value: "", hash: fnv1a("") };

/**
 * A key/value store, partitioned by key (keys in sorted order). Per key the state is a string, initially "".
 * - `get`: legal iff `output.value` equals the current value.
 * - `put`: sets the value.
 * - `append`: appends `input.value`. If `output.value` is a string it must equal the value *before* the
 *   append (lab 2's Append that returns the old value); if it is undefined it is not checked (lab 4).
 */
export const kvModel: Model<KvState, KvInput, KvOutput> = {
  name: "kv",
  init: () => EMPTY,
  step(state, input, output) {
    switch (input.op) {
      case "get":
        return { ok: output.value === state.value, state };
      case "put": {
        const value = input.value ?? "";
        return { ok: true, state: { value, hash: fnv1a(value) } };
      }
      case "append": {
        if (output.value !== undefined && output.value !== state.value) return { ok: false, state };
        const suffix = input.value ?? "";
        return { ok: true, state: { value: state.value + suffix, hash: fnv1a(suffix, state.hash) } };
      }
      default:
        return { ok: false, state };
    }
  },
  equal: (a, b) => a.hash === b.hash && a.value === b.value,
  hash: (state) => state.hash,
  validateOperation(input, output) {
    if (typeof input !== "object" || input === null) return "input must be an object { op, key, value? }";
    if (input.op !== "get" && input.op !== "put" && input.op !== "append") {
      return `unknown op ${JSON.stringify(input.op)} (expected "get", "put" or "append")`;
    }
    if (typeof input.key !== "string") return `${input.op}: key must be a string`;
    if (input.op !== "get" && typeof input.value !== "string")
      return `${input.op}: input.value must be a string`;
    if (typeof output !== "object" || output === null)
      return `${input.op}: output must be an object { value? }`;
    if (input.op === "get" && typeof output.value !== "string") return "get: output.value must be a string";
    if (output.value !== undefined && typeof output.value !== "string") {
      return `${input.op}: output.value must be a string or undefined`;
    }
    return undefined;
  },
  partition: (history) => partitionByKey(history),
  describePartition: (history) => `key ${quote(history[0]?.input.key ?? "")}`,
  describeOperation(input, output) {
    switch (input.op) {
      case "get":
        return `get(${quote(input.key)}) -> ${quote(output.value ?? "")}`;
      case "put":
        return `put(${quote(input.key)}, ${quote(input.value ?? "")})`;
      case "append":
        return output.value === undefined
          ? `append(${quote(input.key)}, ${quote(input.value ?? "")})`
          : `append(${quote(input.key)}, ${quote(input.value ?? "")}) -> ${quote(output.value)}`;
      default:
        return "<invalid>";
    }
  },
  describeState: (state) => quote(state.value),
};

function partitionByKey(history: Operation<KvInput, KvOutput>[]): Operation<KvInput, KvOutput>[][] {
  const byKey = new Map<string, Operation<KvInput, KvOutput>[]>();
  for (const operation of history) {
    const key = operation.input.key;
    let part = byKey.get(key);
    if (part === undefined) {
      part = [];
      byKey.set(key, part);
    }
    part.push(operation);
  }
  return [...byKey.keys()].sort().map((key) => byKey.get(key)!);
}

function quote(text: string): string {
  return `'${text}'`;
}
