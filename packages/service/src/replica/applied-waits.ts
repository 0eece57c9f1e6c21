/**
 * Reads waiting for this replica to have applied through an index (their ReadIndex). Served in
 * index order as applies come in; failed all at once when the replica closes.
 */
export class AppliedWaits {
  #waits: { index: number; resolve: () => void; reject: (error: Error) => void }[] = [];
  #applied = 0;

  get size(): number {
    return this.#waits.length;
  }

  /** Resolves once `applied(i)` has been called with `i >= index`. */
  until(index: number): Promise<void> {
    if (index <= this.#applied) return Promise.resolve();
    return new Promise((resolve, reject) => this.#waits.push({ index, resolve, reject }));
  }

  /** The replica has applied through `index`. */
  applied(index: number): void {
    this.#applied = index;
    if (this.#waits.length === 0) return;
    const ready = this.#waits.filter((w) => w.index <= index);
    if (ready.length === 0) return;
    this.#waits = this.#waits.filter((w) => w.index > index);
    for (const w of ready) w.resolve();
  }

  failAll(error: Error): void {
    const waits = this.#waits;
    this.#waits = [];
    for (const w of waits) w.reject(error);
  }
}
