/** A scheduled callback that can be cancelled before it fires. */
export interface Timer {
  cancel(): void;
}

/**
 * Time as raftkit code sees it. Everything that waits or reads the time goes through a Clock,
 * so the same code runs on the real clock in production and on a virtual clock in tests.
 * Times and delays are in milliseconds.
 */
export interface Clock {
  /** Milliseconds since an arbitrary origin; never goes backwards. */
  now(): number;
  /** Runs `callback` once, `delayMs` from now (negative delays count as 0). */
  setTimer(delayMs: number, callback: () => void): Timer;
  /** Resolves `delayMs` from now. */
  sleep(delayMs: number): Promise<void>;
}

export interface RealClockOptions {
  /** Timers do not keep the process alive (Node's `unref`). Default: false. */
  unref?: boolean;
}

/** The process's real clock: `performance.now()` and Node's timers. */
export class RealClock implements Clock {
  private readonly unref: boolean;

  constructor(options: RealClockOptions = {}) {
    this.unref = options.unref ?? false;
  }

  now(): number {
    return performance.now();
  }

  setTimer(delayMs: number, callback: () => void): Timer {
    const handle = setTimeout(callback, Math.max(0, delayMs));
    if (this.unref) handle.unref();
    return { cancel: () => clearTimeout(handle) };
  }

  sleep(delayMs: number): Promise<void> {
    return new Promise((resolve) => this.setTimer(delayMs, resolve));
  }
}

/** A shared real clock; stateless, so one instance serves everyone. */
export const realClock: Clock = new RealClock();
