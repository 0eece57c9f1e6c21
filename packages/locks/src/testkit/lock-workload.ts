import type { CallableEnd, Clock, Random } from "@raftkit/raft";
import type { Workload } from "@raftkit/raft/testkit";
import { LockClient } from "../lock-client.js";
import { type LockInput, type LockModelState, type LockOutput, lockModel } from "./lock-model.js";

export interface LockWorkloadOptions {
  /** Locks contended for (default 2: `L0`, `L1`). */
  locks?: number;
  /** Owner names the clients act as (default 4: `o0`..`o3`); fewer owners than clients means shared names. */
  owners?: number;
}

/** One client loop's lock clients, one per owner name it acts as. */
export interface LockClients {
  as(owner: string): LockClient;
}

/**
 * A workload for the raft testkit's nemesis (`runChaos`): clients acquire, release and read a
 * few locks under a few owner names, judged by porcupine against `lockModel` (fencing tokens
 * only grow; one holder at a time). Acquires and releases are not unique values, so the
 * acknowledged-write oracle has nothing to find; the final reads go through porcupine instead.
 */
export function lockWorkload(
  options: LockWorkloadOptions = {},
): Workload<LockClients, LockModelState, LockInput, LockOutput> {
  const locks = Array.from({ length: options.locks ?? 2 }, (_, i) => `L${i}`);
  const owners = Array.from({ length: options.owners ?? 4 }, (_, i) => `o${i}`);
  return {
    model: lockModel,
    client: (ends: readonly CallableEnd[], env: { clock: Clock; random: Random }) => {
      const clients = new Map<string, LockClient>();
      return {
        as(owner) {
          let client = clients.get(owner);
          if (!client) {
            // A call caught in a fault finishes once the cluster heals (the liveness oracle bounds that).
            client = new LockClient(ends, { ...env, owner, timeoutMs: 600_000 });
            clients.set(owner, client);
          }
          return client;
        },
      };
    },
    next(random) {
      const lock = locks[random.int(locks.length)]!;
      const owner = owners[random.int(owners.length)]!;
      const roll = random.int(100);
      if (roll < 20) return { kind: "read", query: lock };
      return { kind: "submit", command: { op: roll < 65 ? "acquire" : "release", lock, owner } };
    },
    async invoke(clients, input) {
      if (input.kind === "read") {
        return { ok: true, value: await clients.as(owners[0]!).state(input.query) };
      }
      const { op, lock, owner } = input.command;
      const client = clients.as(owner);
      const value = op === "acquire" ? await client.acquire(lock) : { released: await client.release(lock) };
      return { ok: true, value };
    },
    finalReads: () => locks.map((lock) => ({ kind: "read", query: lock })),
  };
}
