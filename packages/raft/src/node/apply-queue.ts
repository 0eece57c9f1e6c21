/**
 * Hands items to a consumer one at a time, in order. The consumer may return a Promise (the
 * next item waits for it) and may re-enter the producer (e.g. raft's `snapshot()` from inside
 * an apply): items added meanwhile are delivered by the loop already running, never nested.
 * A consumer that throws or rejects stops the queue: no later item is delivered.
 */
export class ApplyQueue<Item> {
  private items: Item[] = [];
  private head = 0;
  private delivering = false;
  private stopped = false;

  constructor(
    private readonly consume: (item: Item) => void | Promise<void>,
    private readonly onError: (error: unknown) => void,
  ) {}

  get pending(): number {
    return this.items.length - this.head;
  }

  push(items: readonly Item[]): void {
    if (this.stopped) return;
    for (const item of items) this.items.push(item);
    this.deliver();
  }

  /** Drops what is queued and delivers nothing more. */
  stop(): void {
    this.stopped = true;
    this.items = [];
    this.head = 0;
  }

  private deliver(): void {
    if (this.delivering) return;
    this.delivering = true;
    while (!this.stopped && this.head < this.items.length) {
      const item = this.items[this.head++]!;
      if (this.head > 1024 && this.head * 2 > this.items.length) {
        this.items = this.items.slice(this.head);
        this.head = 0;
      }
      let result: void | Promise<void>;
      try {
        result = this.consume(item);
      } catch (error) {
        this.failed(error);
        return;
      }
      if (result instanceof Promise) {
        result.then(
          () => this.resume(),
          (error: unknown) => this.failed(error),
        );
        return;
      }
    }
    this.delivering = false;
  }

  /** The consumer failed on an item: nothing after it may be delivered (it would be skipped). */
  private failed(error: unknown): void {
    this.stop();
    this.delivering = false;
    this.onError(error);
  }

  private resume(): void {
    this.delivering = false;
    this.deliver();
  }
}
