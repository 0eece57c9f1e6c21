/** One line of the fault schedule as it happened: virtual time and what was done or seen. */
export interface TimelineEntry {
  readonly atMs: number;
  readonly text: string;
}

/** The readable record of a chaos run: every fault, heal, crash, check and verdict, in order. */
export class Timeline {
  readonly #entries: TimelineEntry[] = [];

  constructor(private readonly now: () => number) {}

  note(text: string): void {
    this.#entries.push({ atMs: this.now(), text });
  }

  get entries(): readonly TimelineEntry[] {
    return this.#entries;
  }

  /** `   12.345 s  crash 2 (the leader)` per line. */
  format(): string {
    return this.#entries.map((e) => `${(e.atMs / 1000).toFixed(3).padStart(9)} s  ${e.text}`).join("\n");
  }
}
