import type { Clock, Random } from "../../interfaces.js";
import { MemoryPersister } from "../../storage/memory-persister.js";
import { FaultyStorage } from "../faulty-storage.js";
import type { DiskFault, StorageModel } from "./storage-model.js";

export interface FaultyMemoryStorageOptions {
  clock: Clock;
  random: Random;
  /**
   * Every write becomes durable 0..this many ms after it is made (default 3), like a page cache
   * flushed by fsync: a crash loses the writes not yet durable, which raft never acknowledged.
   */
  fsyncMaxMs?: number;
}

/**
 * Storage with disk faults for the nemesis: each incarnation writes through the testkit's
 * FaultyStorage to a MemoryPersister holding what is durable. A crash drops the unsynced
 * writes; `faults` injects EIO (the next write fails), ENOSPC (every write fails until healed)
 * and slow fsyncs. A member whose write failed stops; the nemesis restarts it when it heals.
 */
export function faultyMemoryStorage<Command>(options: FaultyMemoryStorageOptions): StorageModel<Command> {
  const durable = new Map<number, MemoryPersister<Command>>();
  const live = new Map<number, FaultyStorage<MemoryPersister<Command>, Command>>();
  const baseline = options.fsyncMaxMs ?? 3;
  const inject = (member: number, fault: DiskFault) => {
    const storage = live.get(member);
    if (!storage) return;
    if (fault.kind === "eio") storage.failWrites("EIO");
    else if (fault.kind === "enospc") storage.failWrites("ENOSPC");
    else storage.stallWrites(fault.ms);
  };
  return {
    start(member) {
      const persister = durable.get(member)?.copy() ?? new MemoryPersister<Command>();
      durable.set(member, persister);
      const storage = new FaultyStorage<MemoryPersister<Command>, Command>(persister, options);
      if (baseline > 0) storage.stallWrites(baseline);
      live.set(member, storage);
      return storage;
    },
    crash(member) {
      live.get(member)?.crash();
      live.delete(member);
      // The dead incarnation's storage may still be written to: the successor starts from a copy.
      const persister = durable.get(member);
      if (persister) durable.set(member, persister.copy());
    },
    faults: {
      inject,
      heal(member) {
        const storage = live.get(member);
        storage?.heal();
        if (storage && baseline > 0) storage.stallWrites(baseline);
      },
    },
  };
}
