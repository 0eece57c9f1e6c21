import { type Event, fnv1a, type KvInput, type KvOutput, type Model } from "../../src/index.js";

type KvEvent = Event<KvInput, KvOutput>;

const LINE =
  /^\{:process (\d+), :type :(invoke|ok), :f :(get|put|append), :key "(\d+)", :value (nil|"[^"]*")\}$/;

/** Parses one of the `kv/cNN-*.txt` histories into events (ids in invoke order, one outstanding per process). */
export function parseKvLog(text: string): KvEvent[] {
  const events: KvEvent[] = [];
  const outstanding = new Map<number, number>();
  let nextId = 0;
  for (const line of text.split("\n")) {
    const m = LINE.exec(line);
    if (m === null) continue;
    const process = Number(m[1]);
    const type = m[2]!;
    const op = m[3] as KvInput["op"];
    const key = m[4]!;
    const value = m[5] === "nil" ? undefined : m[5]!.slice(1, -1);
    if (type === "invoke") {
      const id = nextId++;
      outstanding.set(process, id);
      const input: KvInput = value === undefined ? { op, key } : { op, key, value };
      events.push({ clientId: process, kind: "call", value: input, id });
    } else {
      const id = outstanding.get(process);
      if (id === undefined) throw new Error(`ok for process ${process} without an invoke`);
      outstanding.delete(process);
      events.push({
        clientId: process,
        kind: "return",
        value: op === "get" ? { value: value ?? "" } : {},
        id,
      });
    }
  }
  for (const [process, id] of outstanding) events.push({ clientId: process, kind: "return", value: {}, id });
  return events;
}

/** Keys get dense indices on first sight, so a whole-store state can be a small array. */
const keyIndex = new Map<string, number>();
function indexOf(key: string): number {
  let index = keyIndex.get(key);
  if (index === undefined) {
    index = keyIndex.size;
    keyIndex.set(key, index);
  }
  return index;
}

/**
 * The whole store as one state (no partitioning): what porcupine's tests call kvNoPartitionModel.
 * `values[i]` is the value of the key with index i ("" if never written); `hashes[i]` its entry hash.
 */
export interface StoreState {
  readonly values: readonly string[];
  readonly hashes: readonly number[];
  /** XOR of the entry hashes of non-empty values: independent of the order the keys were written in. */
  readonly hash: number;
}

const entryHash = (key: string, value: string) => fnv1a(value, fnv1a(`${key}\u0000`));

function withValue(state: StoreState, index: number, value: string, hash: number): StoreState {
  const values = state.values.slice();
  const hashes = state.hashes.slice();
  while (values.length <= index) {
    values.push("");
    hashes.push(0);
  }
  const old = hashes[index]!;
  values[index] = value;
  hashes[index] = value === "" ? 0 : hash;
  return { values, hashes, hash: state.hash ^ old ^ hashes[index]! };
}

export const kvNoPartitionModel: Model<StoreState, KvInput, KvOutput> = {
  name: "kv (unpartitioned)",
  init: () => ({ values: [], hashes: [], hash: 0 }),
  step(state, input, output) {
    const index = indexOf(input.key);
    const value = state.values[index] ?? "";
    switch (input.op) {
      case "get":
        return { ok: output.value === value, state };
      case "put":
        return { ok: true, state: withValue(state, index, input.value!, entryHash(input.key, input.value!)) };
      case "append": {
        if (output.value !== undefined && output.value !== value) return { ok: false, state };
        const seed = value === "" ? fnv1a(`${input.key}\u0000`) : state.hashes[index]!;
        return { ok: true, state: withValue(state, index, value + input.value!, fnv1a(input.value!, seed)) };
      }
    }
  },
  equal(a, b) {
    if (a.hash !== b.hash) return false;
    const n = Math.max(a.values.length, b.values.length);
    for (let i = 0; i < n; i++) if ((a.values[i] ?? "") !== (b.values[i] ?? "")) return false;
    return true;
  },
  hash: (state) => state.hash,
};
