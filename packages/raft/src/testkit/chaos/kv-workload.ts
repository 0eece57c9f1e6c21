import { type KvInput, type KvOutput, type KvState, kvModel } from "@raftkit/porcupine";
import type { Clock, Random } from "../../interfaces.js";
import type { CallableEnd } from "../../transport/labrpc.js";
import type { Workload } from "./workload.js";

/** A key/value client as kvraft's and kvsrv's Clerk are. */
export interface KvClient {
  get(key: string): Promise<string>;
  put(key: string, value: string): Promise<void>;
  append(key: string, value: string): Promise<void>;
}

export interface KvWorkloadOptions<C extends KvClient> {
  client: (ends: readonly CallableEnd[], env: { clock: Clock; random: Random }) => C;
  /** Keys appended to (default 3) and keys put to (default 2). */
  appendKeys?: number;
  putKeys?: number;
}

/**
 * A key/value workload for porcupine's kvModel: appends of unique tokens `[n]` to keys
 * `a0..`, puts of unique values to keys `p0..`, and Gets of both. Every acknowledged append
 * must show in its key's final value; puts are judged by porcupine alone.
 */
export function kvWorkload<C extends KvClient>(
  options: KvWorkloadOptions<C>,
): Workload<C, KvState, KvInput, KvOutput> {
  const appendKeys = Array.from({ length: options.appendKeys ?? 3 }, (_, i) => `a${i}`);
  const putKeys = Array.from({ length: options.putKeys ?? 2 }, (_, i) => `p${i}`);
  const keys = [...appendKeys, ...putKeys];
  return {
    model: kvModel,
    client: options.client,
    next(random, unique) {
      const roll = random.int(100);
      if (roll < 35) return { op: "get", key: keys[random.int(keys.length)]! };
      if (roll < 85 || putKeys.length === 0) {
        return { op: "append", key: appendKeys[random.int(appendKeys.length)]!, value: `[${unique}]` };
      }
      return { op: "put", key: putKeys[random.int(putKeys.length)]!, value: `<${unique}>` };
    },
    async invoke(client, input) {
      if (input.op === "get") return { value: await client.get(input.key) };
      if (input.op === "put") await client.put(input.key, input.value ?? "");
      else await client.append(input.key, input.value ?? "");
      return {};
    },
    finalReads: () => keys.map((key) => ({ op: "get", key })),
    shows(input, reads) {
      if (input.op !== "append") return undefined;
      const final = reads.find((r) => r.input.op === "get" && r.input.key === input.key);
      return final === undefined ? undefined : (final.output.value ?? "").includes(input.value ?? "");
    },
  };
}
