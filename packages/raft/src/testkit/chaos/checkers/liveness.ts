import type { Clock } from "../../../interfaces.js";
import type { Violation } from "./violation.js";

/**
 * The cluster serves again within a bound after healing: every operation in `work` (the ones
 * still pending at the heal, and a fresh probe) must settle within `boundMs` of virtual time.
 */
export async function checkRecovery(
  clock: Clock,
  boundMs: number,
  work: readonly { label: string; done: Promise<unknown> }[],
): Promise<Violation | undefined> {
  const started = clock.now();
  const pending = new Set(work.map((w) => w.label));
  for (const w of work) {
    w.done.then(
      () => pending.delete(w.label),
      () => pending.delete(w.label),
    );
  }
  while (pending.size > 0 && clock.now() - started < boundMs) await clock.sleep(50);
  if (pending.size === 0) return undefined;
  const names = [...pending].slice(0, 5).join(", ");
  return {
    checker: "liveness",
    message: `${pending.size} operation(s) still not done ${boundMs} ms after healing: ${names}`,
    atMs: clock.now(),
  };
}
