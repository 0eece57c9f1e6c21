import type { Clerk } from "@raftkit/kvraft";

/**
 * Clerks for concurrent HTTP requests: a Clerk runs one operation at a time, and each new Clerk
 * is a client session the cluster remembers, so a few are reused rather than one per request.
 */
export class ClerkPool {
  readonly #idle: Clerk[] = [];
  readonly #waiting: Array<(clerk: Clerk) => void> = [];
  #created = 0;

  constructor(
    private readonly create: () => Clerk,
    private readonly max: number,
  ) {}

  /** Runs `operation` with a clerk of its own, waiting for one if all `max` are busy. */
  async use<T>(operation: (clerk: Clerk) => Promise<T>): Promise<T> {
    const clerk = await this.#take();
    try {
      return await operation(clerk);
    } finally {
      const next = this.#waiting.shift();
      if (next) next(clerk);
      else this.#idle.push(clerk);
    }
  }

  #take(): Promise<Clerk> {
    const idle = this.#idle.pop();
    if (idle) return Promise.resolve(idle);
    if (this.#created < this.max) {
      this.#created++;
      return Promise.resolve(this.create());
    }
    return new Promise((resolve) => this.#waiting.push(resolve));
  }
}
