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

interface Entry {
  readonly value: string;
  readonly hash: number;
}

/** The whole store as one state (no partitioning): what porcupine's tests call kvNoPartitionModel. */
export interface StoreState {
  readonly entries: ReadonlyMap<string, Entry>;
  /** XOR of the entries' hashes: independent of insertion order. */
  readonly hash: number;
}

const entryHash = (key: string, value: string, seed = fnv1a(`${key}\u0000`)) => fnv1a(value, seed);

function withValue(state: StoreState, key: string, value: string, hash: number): StoreState {
  const entries = new Map(state.entries);
  const old = entries.get(key);
  entries.set(key, { value, hash });
  return { entries, hash: state.hash ^ (old?.hash ?? 0) ^ hash };
}

export const kvNoPartitionModel: Model<StoreState, KvInput, KvOutput> = {
  name: "kv (unpartitioned)",
  init: () => ({ entries: new Map(), hash: 0 }),
  step(state, input, output) {
    const current = state.entries.get(input.key);
    const value = current?.value ?? "";
    switch (input.op) {
      case "get":
        return { ok: output.value === value, state };
      case "put":
        return {
          ok: true,
          state: withValue(state, input.key, input.value!, entryHash(input.key, input.value!)),
        };
      case "append": {
        const hash = fnv1a(input.value!, current?.hash ?? entryHash(input.key, ""));
        return { ok: true, state: withValue(state, input.key, value + input.value!, hash) };
      }
    }
  },
  equal(a, b) {
    if (a.hash !== b.hash || a.entries.size !== b.entries.size) return false;
    for (const [key, entry] of a.entries) if (b.entries.get(key)?.value !== entry.value) return false;
    return true;
  },
  hash: (state) => state.hash,
};
