import type { Clock, Timer } from "../../interfaces.js";

/**
 * One member's view of the clock, which the nemesis can pause like SIGSTOP: time goes on, but
 * timers that come due while paused fire only on `resume()` (in due order), and `gate()` holds
 * incoming work until then — a stopped process neither ticks nor answers.
 */
export class PausableClock implements Clock {
  #paused = false;
  /** Callbacks that came due while paused, in the order they came due. */
  #held: (() => void)[] = [];
  #waiters: (() => void)[] = [];

  constructor(private readonly clock: Clock) {}

  get paused(): boolean {
    return this.#paused;
  }

  now(): number {
    return this.clock.now();
  }

  setTimer(delayMs: number, callback: () => void): Timer {
    let cancelled = false;
    const timer = this.clock.setTimer(delayMs, () => {
      if (cancelled) return;
      if (this.#paused) this.#held.push(() => !cancelled && callback());
      else callback();
    });
    return {
      cancel: () => {
        cancelled = true;
        timer.cancel();
      },
    };
  }

  sleep(delayMs: number): Promise<void> {
    return new Promise((resolve) => this.setTimer(delayMs, resolve));
  }

  /** Resolves at once while running, else on `resume()`. */
  gate(): Promise<void> | undefined {
    if (!this.#paused) return undefined;
    return new Promise((resolve) => this.#waiters.push(resolve));
  }

  pause(): void {
    this.#paused = true;
  }

  resume(): void {
    if (!this.#paused) return;
    this.#paused = false;
    const held = this.#held;
    const waiters = this.#waiters;
    this.#held = [];
    this.#waiters = [];
    for (const callback of held) callback();
    for (const wake of waiters) wake();
  }
}
