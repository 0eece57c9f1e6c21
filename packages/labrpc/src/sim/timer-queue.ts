/** A pending timer inside the simulation. */
export interface QueuedTimer {
  readonly at: number;
  readonly seq: number;
  readonly callback: () => void;
  cancelled: boolean;
}

function earlier(x: QueuedTimer, y: QueuedTimer): boolean {
  return x.at < y.at || (x.at === y.at && x.seq < y.seq);
}

/**
 * A binary min-heap of timers ordered by (time, insertion sequence), so timers due at the same
 * instant fire in the order they were set. Cancelled timers are dropped lazily, and the heap is
 * rebuilt when they outnumber the live ones (raft resets election timers constantly).
 */
export class TimerQueue {
  private heap: QueuedTimer[] = [];
  private cancelledCount = 0;
  private nextSeq = 0;

  get size(): number {
    return this.heap.length - this.cancelledCount;
  }

  push(at: number, callback: () => void): QueuedTimer {
    const timer: QueuedTimer = { at, seq: this.nextSeq++, callback, cancelled: false };
    this.heap.push(timer);
    this.siftUp(this.heap.length - 1);
    return timer;
  }

  cancel(timer: QueuedTimer): void {
    if (timer.cancelled) return;
    timer.cancelled = true;
    this.cancelledCount++;
    if (this.cancelledCount > 64 && this.cancelledCount * 2 > this.heap.length) this.compact();
  }

  /** When the earliest live timer is due (dropping cancelled ones on top), or undefined when none is left. */
  peekAt(): number | undefined {
    while (this.heap.length > 0) {
      const top = this.heap[0]!;
      if (!top.cancelled) return top.at;
      this.removeTop();
      this.cancelledCount--;
    }
    return undefined;
  }

  /** Removes and returns the earliest live timer, or undefined when none is left. */
  pop(): QueuedTimer | undefined {
    while (this.heap.length > 0) {
      const top = this.removeTop();
      if (!top.cancelled) {
        // Mark it so a later cancel() of a fired timer does not skew the count.
        top.cancelled = true;
        return top;
      }
      this.cancelledCount--;
    }
    return undefined;
  }

  private removeTop(): QueuedTimer {
    const heap = this.heap;
    const top = heap[0]!;
    const last = heap.pop()!;
    if (heap.length > 0) {
      heap[0] = last;
      this.siftDown(0);
    }
    return top;
  }

  private compact(): void {
    this.heap = this.heap.filter((t) => !t.cancelled);
    this.cancelledCount = 0;
    for (let i = (this.heap.length >> 1) - 1; i >= 0; i--) this.siftDown(i);
  }

  private siftUp(index: number): void {
    const heap = this.heap;
    let i = index;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!earlier(heap[i]!, heap[parent]!)) break;
      [heap[i], heap[parent]] = [heap[parent]!, heap[i]!];
      i = parent;
    }
  }

  private siftDown(index: number): void {
    const heap = this.heap;
    const n = heap.length;
    let i = index;
    for (;;) {
      const left = 2 * i + 1;
      const right = left + 1;
      let least = i;
      if (left < n && earlier(heap[left]!, heap[least]!)) least = left;
      if (right < n && earlier(heap[right]!, heap[least]!)) least = right;
      if (least === i) return;
      [heap[i], heap[least]] = [heap[least]!, heap[i]!];
      i = least;
    }
  }
}
