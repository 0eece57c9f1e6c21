import { isDeepStrictEqual } from "node:util";

/** Shortens a value for an error message (commands can be 5000-character strings). */
export function show(value: unknown): string {
  let text: string;
  try {
    text = typeof value === "string" ? JSON.stringify(value) : (JSON.stringify(value) ?? String(value));
  } catch {
    text = String(value);
  }
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

export const sameValue = (a: unknown, b: unknown): boolean => a === b || isDeepStrictEqual(a, b);

/**
 * What every server has applied, index by index: the lab's safety oracle. Each applied
 * command is checked against what any other server applied at that index, and against the
 * server's own order. Entries are kept across a server's crash (it must re-apply the same).
 */
export class AppliedLogs {
  private readonly logs: Map<number, unknown>[];
  private readonly results: Map<number, unknown>[];
  /** Per server: the last index applied by the current incarnation (snapshot mode checks it). */
  readonly lastApplied: number[];
  /** The highest index any server applied. */
  maxIndex = 0;

  constructor(public servers: number) {
    this.logs = Array.from({ length: servers }, () => new Map());
    this.results = Array.from({ length: servers }, () => new Map());
    this.lastApplied = new Array<number>(servers).fill(0);
  }

  /** One more server (a member added to the cluster), with nothing applied yet. */
  addServer(): void {
    this.logs.push(new Map());
    this.results.push(new Map());
    this.lastApplied.push(0);
    this.servers++;
  }

  /** Records command `command` applied by `server` at `index`; returns an error message or undefined. */
  record(server: number, index: number, command: unknown): string | undefined {
    for (let j = 0; j < this.servers; j++) {
      const log = this.logs[j]!;
      if (log.has(index) && !sameValue(log.get(index), command)) {
        return (
          `commit index=${index} server=${server} ${show(command)} != ` +
          `server=${j} ${show(log.get(index))}`
        );
      }
    }
    const log = this.logs[server]!;
    const hadPrevious = log.has(index - 1);
    log.set(index, command);
    if (index > this.maxIndex) this.maxIndex = index;
    if (index > 1 && !hadPrevious) return `server ${server} apply out of order ${index}`;
    return undefined;
  }

  /** Records what a state machine returned for `index`; returns an error message on divergence. */
  recordResult(server: number, index: number, result: unknown): string | undefined {
    for (let j = 0; j < this.servers; j++) {
      const results = this.results[j]!;
      if (results.has(index) && !sameValue(results.get(index), result)) {
        return (
          `state machines diverge at index ${index}: server ${server} returned ${show(result)}, ` +
          `server ${j} returned ${show(results.get(index))}`
        );
      }
    }
    this.results[server]!.set(index, result);
    return undefined;
  }

  /** Replaces a server's log with what a snapshot holds (commands at 1..commands.length). */
  restore(server: number, commands: readonly unknown[]): void {
    const log = new Map<number, unknown>();
    for (let i = 0; i < commands.length; i++) log.set(i + 1, commands[i]);
    this.logs[server] = log;
    this.lastApplied[server] = commands.length;
  }

  has(server: number, index: number): boolean {
    return this.logs[server]!.has(index);
  }

  get(server: number, index: number): unknown {
    return this.logs[server]!.get(index);
  }

  /** Commands 1..index as applied by `server` (for its snapshot). */
  prefix(server: number, index: number): unknown[] {
    const log = this.logs[server]!;
    const out: unknown[] = [];
    for (let i = 1; i <= index; i++) out.push(log.get(i));
    return out;
  }
}
