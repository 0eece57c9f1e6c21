import type { Clock } from "@raftkit/raft";

/** The reason `signal` was aborted, as an Error to reject with. */
function reasonOf(signal: AbortSignal): unknown {
  return signal.reason ?? new DOMException("This operation was aborted", "AbortError");
}

/** Settles like `promise`, or rejects with the abort reason as soon as `signal` aborts. */
export function abortable<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return promise;
  if (signal.aborted) return Promise.reject(reasonOf(signal));
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(reasonOf(signal));
    signal.addEventListener("abort", onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener("abort", onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener("abort", onAbort);
        reject(error);
      },
    );
  });
}

/** Waits `delayMs` on `clock`; if `signal` aborts first, cancels the timer and rejects with the reason. */
export function sleep(clock: Clock, delayMs: number, signal: AbortSignal | undefined): Promise<void> {
  if (!signal) return clock.sleep(delayMs);
  if (signal.aborted) return Promise.reject(reasonOf(signal));
  return new Promise<void>((resolve, reject) => {
    const onAbort = () => {
      timer.cancel();
      reject(reasonOf(signal));
    };
    const timer = clock.setTimer(delayMs, () => {
      signal.removeEventListener("abort", onAbort);
      resolve();
    });
    signal.addEventListener("abort", onAbort, { once: true });
  });
}

/** Throws the abort reason if `signal` is aborted. */
export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw reasonOf(signal);
}

/** Settles like `promise`, or rejects with `onTimeout()` after `timeoutMs` on `clock` (the timer is cancelled once settled). */
export function withTimeout<T>(
  promise: Promise<T>,
  clock: Clock,
  timeoutMs: number,
  onTimeout: () => Error,
): Promise<T> {
  return race(promise, clock, timeoutMs, (_resolve, reject) => reject(onTimeout()));
}

/** Settles like `promise`, or resolves with `value` after `timeoutMs` on `clock` (the timer is cancelled once settled). */
export function orAfter<T, U>(
  promise: Promise<T>,
  clock: Clock,
  timeoutMs: number,
  value: U,
): Promise<T | U> {
  return race<T | U>(promise, clock, timeoutMs, (resolve) => resolve(value));
}

/** `promise`, unless `timeoutMs` (finite) passes first on `clock`: then `onTimeout` settles it. */
function race<T>(
  promise: Promise<T>,
  clock: Clock,
  timeoutMs: number,
  onTimeout: (resolve: (value: T) => void, reject: (error: unknown) => void) => void,
): Promise<T> {
  if (!Number.isFinite(timeoutMs)) return promise;
  return new Promise<T>((resolve, reject) => {
    const timer = clock.setTimer(timeoutMs, () => onTimeout(resolve, reject));
    promise.then(
      (value) => {
        timer.cancel();
        resolve(value);
      },
      (error: unknown) => {
        timer.cancel();
        reject(error);
      },
    );
  });
}
