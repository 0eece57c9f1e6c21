import type { Clock, Timer } from "@raftkit/raft";

/**
 * One member's clock in a simulation, running at `rate` times the simulation's: what it reads
 * advances `rate` ms per simulated ms, and its timers fire after `delay / rate` simulated ms.
 * `setRate` changes the rate from now on, continuing from what it reads now (timers already set
 * keep their simulated deadline).
 */
export class DriftingClock implements Clock {
  #base: number;
  #since: number;
  #rate = 1;

  constructor(private readonly inner: Clock) {
    this.#base = inner.now();
    this.#since = inner.now();
  }

  now(): number {
    return this.#base + (this.inner.now() - this.#since) * this.#rate;
  }

  setRate(rate: number): void {
    this.#base = this.now();
    this.#since = this.inner.now();
    this.#rate = rate;
  }

  setTimer(delayMs: number, callback: () => void): Timer {
    return this.inner.setTimer(delayMs / this.#rate, callback);
  }

  sleep(delayMs: number): Promise<void> {
    return this.inner.sleep(delayMs / this.#rate);
  }
}
