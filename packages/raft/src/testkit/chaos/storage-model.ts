import { MemoryPersister } from "../../storage/memory-persister.js";
import type { RaftStorage } from "../../storage/storage.js";

/** Storage a member runs on; `raftStateSize` when the service snapshots by size (kvraft). */
export type MemberStorage<Command> = RaftStorage<Command> & { raftStateSize?(): number };

/** A disk fault the nemesis can inject into one member's storage. */
export type DiskFault =
  | { readonly kind: "eio" } // the next write fails with EIO
  | { readonly kind: "enospc" } // writes fail with ENOSPC until healed
  | { readonly kind: "slow-fsync"; readonly ms: number }; // every durable write takes this long

/** A storage that can fail on demand (the testkit's fault-injecting storage implements it). */
export interface DiskFaults {
  inject(member: number, fault: DiskFault): void;
  /** Removes every injected fault from `member`'s storage. */
  heal(member: number): void;
}

/**
 * How members keep durable state across crashes. `start` gives a member's new incarnation its
 * storage (what the previous one left durable); `crash` marks the old incarnation dead — from
 * then on nothing it writes may reach its successor, and a storage that models a page cache
 * drops what was never synced. `faults`, when present, lets the nemesis inject disk faults.
 */
export interface StorageModel<Command> {
  start(member: number): MemberStorage<Command>;
  crash(member: number): void;
  readonly faults?: DiskFaults;
}

/** Lab semantics: every write durable at once; a crash hands the successor a copy (MemoryPersister). */
export function memoryStorage<Command>(): StorageModel<Command> {
  const saved = new Map<number, MemoryPersister<Command>>();
  return {
    start(member) {
      const persister = saved.get(member)?.copy() ?? new MemoryPersister<Command>();
      saved.set(member, persister);
      return persister;
    },
    crash(member) {
      // The dead incarnation may still hold its persister: the successor starts from a copy.
      const persister = saved.get(member);
      if (persister) saved.set(member, persister.copy());
    },
  };
}
