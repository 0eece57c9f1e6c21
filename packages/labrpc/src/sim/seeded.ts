import { freshSeed } from "./random.js";
import { Simulation } from "./simulation.js";

/** The environment variable that pins the seed of every seeded test, to replay a failure. */
export const SEED_ENV = "RAFTKIT_SEED";

/** `RAFTKIT_SEED` when set (it must be an integer), else a fresh random seed. */
export function seedFromEnv(env: Readonly<Record<string, string | undefined>> = process.env): number {
  const text = env[SEED_ENV];
  if (text === undefined || text.trim() === "") return freshSeed();
  const seed = Number(text);
  if (!Number.isSafeInteger(seed)) throw new RangeError(`${SEED_ENV} must be an integer, got "${text}"`);
  return seed;
}

/** Adds the seed to a failure so the report says how to replay it. */
function tagWithSeed(error: unknown, seed: number): unknown {
  const note = `seed=${seed} (replay: ${SEED_ENV}=${seed})`;
  console.error(note);
  if (error instanceof Error && !error.message.includes(note)) error.message = `${error.message}\n${note}`;
  return error;
}

/** Runs `body` with a seed from `seedFromEnv()`; on failure prints `seed=<n>` and rethrows. */
export async function withSeed<T>(body: (seed: number) => Promise<T>): Promise<T> {
  const seed = seedFromEnv();
  try {
    return await body(seed);
  } catch (error) {
    throw tagWithSeed(error, seed);
  }
}

export interface SimTestOptions {
  /** Virtual-time limit for the whole test (default: 1 hour of virtual time). */
  timeLimitMs?: number;
}

/**
 * Wraps a test body so it runs in virtual time under a seed (from `RAFTKIT_SEED`, else fresh).
 * A failing run prints `seed=<n>`; running again with `RAFTKIT_SEED=<n>` replays it exactly.
 *
 *     test("elects a leader", simTest(async (sim) => { ... }));
 */
export function simTest(
  body: (sim: Simulation) => Promise<void>,
  options: SimTestOptions = {},
): () => Promise<void> {
  return () =>
    withSeed((seed) => {
      const sim = new Simulation({
        seed,
        ...(options.timeLimitMs ? { timeLimitMs: options.timeLimitMs } : {}),
      });
      return sim.run(body);
    });
}
