/** The longest pause between retries of an overloaded leader (the pause doubles up to it). */
const MAX_OVERLOAD_PAUSE_MS = 1_000;

/** The mean pause before the next round: `retryDelayMs`, doubled for each overloaded answer in a row after the first, up to 1 s. */
export function meanRetryPauseMs(retryDelayMs: number, overloads: number): number {
  if (overloads <= 1) return retryDelayMs;
  const doubled = Math.min(retryDelayMs * 2 ** (overloads - 1), MAX_OVERLOAD_PAUSE_MS);
  return Math.max(retryDelayMs, doubled);
}
