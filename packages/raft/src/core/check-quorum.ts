/**
 * Check-quorum's clock: a leader checks once per election timeout (electionTimeoutMinMs)
 * whether a majority replied during that period, and steps down if not. A leader cut off at
 * time t therefore steps down by t + 2 timeouts: the check after t may still count replies from
 * before t, the one after that cannot.
 */
export class CheckQuorumTimer {
  #deadline = Number.POSITIVE_INFINITY;

  constructor(private readonly periodMs: number) {}

  get deadline(): number {
    return this.#deadline;
  }

  start(now: number): void {
    this.#deadline = now + this.periodMs;
  }

  stop(): void {
    this.#deadline = Number.POSITIVE_INFINITY;
  }

  /** Whether a check is due at `now`; if so the next one is scheduled. */
  due(now: number): boolean {
    if (now < this.#deadline) return false;
    this.#deadline = now + this.periodMs;
    return true;
  }
}
