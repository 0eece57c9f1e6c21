import { SeededRandom } from "@raftkit/labrpc";
import { type LogEntry, MemoryPersister, type StoredRaftState } from "@raftkit/raft";
import { FilePersister } from "../../src/index.js";
import type { SimFileSystem } from "./sim-fs.js";
import { DATA_DIR } from "./workload.js";

/** One storage call of a workload, as raft makes them. */
export type Call =
  | { kind: "hardState"; term: number; votedFor: number | null }
  | { kind: "entries"; from: number; entries: LogEntry<string>[] }
  | { kind: "snapshot"; index: number; term: number; data: Uint8Array };

/** What a call leaves the storage holding, normalised so that "nothing yet" compares equal to empty. */
export interface Image {
  hardState: { term: number; votedFor: number | null };
  snapshot: { index: number; term: number; data: number[] } | undefined;
  entries: LogEntry<string>[];
}

export function image(state: StoredRaftState<string> | undefined): Image {
  return {
    hardState: state?.hardState ?? { term: 0, votedFor: null },
    snapshot: state?.snapshot
      ? { index: state.snapshot.meta.index, term: state.snapshot.meta.term, data: [...state.snapshot.data] }
      : undefined,
    entries: (state?.entries ?? []).map((e) => ({ term: e.term, command: e.command })),
  };
}

/**
 * A seeded workload of `count` calls (votes, appends that sometimes overwrite a suffix,
 * snapshots that agree with the log or, like an InstallSnapshot, replace it), and the image
 * after each prefix of them, computed by MemoryPersister: `images[j]` is the state after j calls.
 */
export function makeWorkload(seed: number, count: number): { calls: Call[]; images: Image[] } {
  const random = new SeededRandom(seed);
  const model = new MemoryPersister<string>();
  const calls: Call[] = [];
  const images: Image[] = [image(undefined)];
  let term = 1;
  for (let j = 0; j < count; j++) {
    const state = model.load();
    const base = state?.snapshot?.meta.index ?? 0;
    const last = base + (state?.entries.length ?? 0);
    const roll = random.int(100);
    let call: Call;
    if (roll < 15) {
      term += random.int(2);
      call = { kind: "hardState", term, votedFor: random.int(3) === 0 ? null : random.int(3) };
    } else if (roll < 85 || last === base) {
      const from = Math.max(base + 1, last + 1 - random.int(3));
      const entries = Array.from({ length: 1 + random.int(3) }, (_, i) => ({ term, command: `w${j}.${i}` }));
      call = { kind: "entries", from, entries };
    } else {
      const agreeing = random.int(4) > 0;
      const index = agreeing ? base + 1 + random.int(last - base) : last + 1 + random.int(3);
      const at = state?.entries[index - base - 1];
      call = { kind: "snapshot", index, term: agreeing && at ? at.term : term, data: Uint8Array.of(j % 256) };
    }
    apply(model, call);
    calls.push(call);
    images.push(image(model.load()));
  }
  return { calls, images };
}

function apply(storage: MemoryPersister<string> | FilePersister<string>, call: Call): void | Promise<void> {
  if (call.kind === "hardState") return storage.saveHardState({ term: call.term, votedFor: call.votedFor });
  if (call.kind === "entries") return storage.appendEntries(call.from, call.entries);
  return storage.saveSnapshot({ index: call.index, term: call.term }, call.data);
}

/**
 * Runs the calls against a FilePersister on `fs`, a few at a time (several per turn, sharing an
 * fsync, as raft issues them). Returns the number of calls acknowledged as durable, which every
 * recovery must keep: the writer acknowledges in call order. Stops at the first failure (a crash).
 */
export async function runWorkload(fs: SimFileSystem, calls: readonly Call[], seed: number): Promise<number> {
  const random = new SeededRandom(seed + 1);
  let acked = 0;
  try {
    const p = await FilePersister.open<string>(DATA_DIR, { fs });
    for (let j = 0; j < calls.length; ) {
      const burst = calls.slice(j, j + 1 + random.int(4));
      const first = j;
      const done = burst.map((call, k) =>
        Promise.resolve(apply(p, call)).then(() => {
          acked = Math.max(acked, first + k + 1);
        }),
      );
      j += burst.length;
      await Promise.all(done);
    }
    await p.close();
  } catch {
    // The simulated crash: this process is gone.
  }
  return acked;
}
