import type { Ready } from "../core/ready.js";
import type { Clock } from "../interfaces.js";
import type { Durability, RaftStorage } from "../storage/storage.js";
import { countWrite, type RaftMetrics } from "./metrics.js";

/**
 * Issues a Ready's writes (hard state, entries, snapshot) to `storage`, counting them in
 * `metrics`. Returns a Promise that resolves once all are durable, or undefined when they
 * already are (or there were none).
 */
export function writeReady<Command>(
  ready: Ready<Command>,
  io: { storage: RaftStorage<Command>; clock: Clock; metrics: RaftMetrics },
): Promise<void> | undefined {
  const { storage, clock, metrics } = io;
  const pending: Promise<void>[] = [];
  const track = (durability: Durability) => {
    if (durability) pending.push(durability);
  };
  if (ready.hardState) track(storage.saveHardState(ready.hardState));
  for (const op of ready.writes) {
    if (op.kind === "entries") track(storage.appendEntries(op.from, op.entries));
    else track(storage.saveSnapshot(op.meta, op.data));
  }
  if (pending.length === 0) {
    if (ready.hardState || ready.writes.length > 0) countWrite(metrics, 0); // durable at once
    return undefined;
  }
  const started = clock.now();
  const durable = pending.length === 1 ? pending[0]! : Promise.all(pending).then(() => undefined);
  return durable.then(() => countWrite(metrics, clock.now() - started));
}
