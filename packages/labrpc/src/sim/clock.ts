import { type QueuedTimer, TimerQueue } from "./timer-queue.js";

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

/** Node's largest timer delay; as Node does, a delay outside [1, TIMEOUT_MAX] (or NaN) is 1 ms. */
const TIMEOUT_MAX = 2 ** 31 - 1;
/** Node's timers count whole milliseconds: one due within a millisecond fires now, as Node's would. */
const GRANULARITY_MS = 1;

class RealTimer implements Timer {
  constructor(
    private readonly clock: RealClock,
    private readonly queued: QueuedTimer,
  ) {}

  cancel(): void {
    this.clock.cancel(this.queued);
  }
}

/**
 * The process's real clock: `performance.now()` and Node's timers — one Node timer per clock,
 * armed for its earliest timer, with the others in a queue. A timer set and cancelled per
 * request (the service layer's timeout of every proposal) cost ~5 µs of CPU per operation as a
 * Node timer of its own (creating and dropping Node's list for its duration each time, when it
 * was the only one); in the queue, a push and a flag. Timers due at once fire one per turn of
 * the event loop, in (time, order set), with the microtasks of one run before the next, as
 * Node's do. While a timer is pending, the process stays alive (unless `unref`).
 */
export class RealClock implements Clock {
  readonly #unref: boolean;
  readonly #queue = new TimerQueue();
  /** The Node timer armed for `#armedAt`, or the immediate armed for a timer already due. */
  #timeout: ReturnType<typeof setTimeout> | undefined;
  #immediate: ReturnType<typeof setImmediate> | undefined;
  #armedAt = Number.POSITIVE_INFINITY;
  #firing = false;

  constructor(options: RealClockOptions = {}) {
    this.#unref = options.unref ?? false;
  }

  now(): number {
    return performance.now();
  }

  setTimer(delayMs: number, callback: () => void): Timer {
    const delay = delayMs >= 1 && delayMs <= TIMEOUT_MAX ? delayMs : 1;
    const at = performance.now() + delay;
    const queued = this.#queue.push(at, callback);
    if (at < this.#armedAt && !this.#firing) this.#arm(at, delay);
    return new RealTimer(this, queued);
  }

  sleep(delayMs: number): Promise<void> {
    return new Promise((resolve) => this.setTimer(delayMs, resolve));
  }

  /** @internal through the Timer that setTimer returned */
  cancel(queued: QueuedTimer): void {
    this.#queue.cancel(queued);
    // Nothing left to wait for: let go of the Node timer, so it keeps no process alive.
    if (this.#queue.size === 0 && !this.#firing) this.#disarm();
  }

  /** Arms a Node timer `waitMs` from now for `at`, or (waitMs 0) an immediate for a timer already due. */
  #arm(at: number, waitMs: number): void {
    this.#disarm();
    this.#armedAt = at;
    if (waitMs > 0) {
      this.#timeout = setTimeout(this.#fire, waitMs);
      if (this.#unref) this.#timeout.unref();
    } else {
      this.#immediate = setImmediate(this.#fire);
      if (this.#unref) this.#immediate.unref();
    }
  }

  #disarm(): void {
    if (this.#timeout !== undefined) clearTimeout(this.#timeout);
    if (this.#immediate !== undefined) clearImmediate(this.#immediate);
    this.#timeout = undefined;
    this.#immediate = undefined;
    this.#armedAt = Number.POSITIVE_INFINITY;
  }

  /** Runs the earliest timer if it is due (within Node's millisecond), then arms for the next. */
  readonly #fire = (): void => {
    this.#timeout = undefined;
    this.#immediate = undefined;
    this.#armedAt = Number.POSITIVE_INFINITY;
    const at = this.#queue.peekAt();
    if (at === undefined) return;
    if (at - performance.now() >= GRANULARITY_MS) {
      this.#arm(at, at - performance.now());
      return;
    }
    const due = this.#queue.pop()!;
    this.#firing = true;
    try {
      due.callback();
    } finally {
      this.#firing = false;
      const next = this.#queue.peekAt();
      // One due already runs after this one's microtasks, in the same turn of the event loop.
      if (next !== undefined) {
        const wait = next - performance.now();
        this.#arm(next, wait < GRANULARITY_MS ? 0 : wait);
      }
    }
  };
}

/** A shared real clock; one instance serves everyone. */
export const realClock: Clock = new RealClock();
