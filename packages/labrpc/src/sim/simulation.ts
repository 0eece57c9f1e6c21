import type { Clock, Timer } from "./clock.js";
import { SimulationStalledError, SimulationTimeLimitError } from "./errors.js";
import { SeededRandom } from "./random.js";
import { TimerQueue } from "./timer-queue.js";

export interface SimulationOptions {
  /** Seed for `random`; the same seed replays the same run. */
  seed: number;
  /** Give up with SimulationTimeLimitError once virtual time passes this many ms (default: 1 hour). */
  timeLimitMs?: number;
}

/** Lets every pending microtask (promise continuation) run before the next timer fires. */
const drainMicrotasks = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/**
 * Deterministic virtual time. `run(body)` drives an async body: it lets all pending promise
 * continuations run, then jumps the clock to the earliest due timer and fires it, and repeats
 * until the body settles. Minutes of simulated time cost seconds of CPU, and as long as the code
 * under test takes its time and randomness only from this object, the same seed gives the same run.
 *
 * Timers left over when the body settles never fire; dropping the Simulation releases them.
 */
export class Simulation implements Clock {
  readonly seed: number;
  readonly random: SeededRandom;
  private readonly timeLimitMs: number;
  private readonly queue = new TimerQueue();
  private currentTime = 0;
  private running = false;
  private timerError: { error: unknown } | undefined;

  constructor(options: SimulationOptions) {
    this.seed = options.seed;
    this.random = new SeededRandom(options.seed);
    this.timeLimitMs = options.timeLimitMs ?? 3_600_000;
  }

  now(): number {
    return this.currentTime;
  }

  setTimer(delayMs: number, callback: () => void): Timer {
    const entry = this.queue.push(this.currentTime + Math.max(0, delayMs), callback);
    return { cancel: () => this.queue.cancel(entry) };
  }

  sleep(delayMs: number): Promise<void> {
    return new Promise((resolve) => this.setTimer(delayMs, resolve));
  }

  /** Timers scheduled and not yet fired or cancelled. */
  get pendingTimers(): number {
    return this.queue.size;
  }

  /**
   * Runs `body` in virtual time and returns what it returns. Rejects with the body's error, with
   * the first error thrown by a timer callback, with SimulationStalledError when nothing can make
   * progress, or with SimulationTimeLimitError.
   */
  async run<T>(body: (sim: Simulation) => Promise<T>): Promise<T> {
    if (this.running) throw new Error("Simulation.run() is already running on this simulation");
    this.running = true;
    let outcome: { ok: true; value: T } | { ok: false; error: unknown } | undefined;
    body(this).then(
      (value) => {
        outcome = { ok: true, value };
      },
      (error: unknown) => {
        outcome = { ok: false, error };
      },
    );
    try {
      for (;;) {
        await drainMicrotasks();
        if (this.timerError) throw this.timerError.error;
        if (outcome) break;
        const timer = this.queue.pop();
        if (!timer) throw new SimulationStalledError(this.currentTime, this.seed);
        if (timer.at > this.timeLimitMs) throw new SimulationTimeLimitError(this.timeLimitMs, this.seed);
        this.currentTime = timer.at;
        this.fire(timer.callback);
      }
    } finally {
      this.running = false;
    }
    if (!outcome.ok) throw outcome.error;
    return outcome.value;
  }

  private fire(callback: () => void): void {
    try {
      callback();
    } catch (error) {
      this.timerError ??= { error };
    }
  }
}

/** Runs `body` in a fresh simulation seeded with `seed`. */
export function simulate<T>(seed: number, body: (sim: Simulation) => Promise<T>): Promise<T> {
  return new Simulation({ seed }).run(body);
}
