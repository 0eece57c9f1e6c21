import type { KvInput, KvOutput, Operation } from "@raftkit/porcupine";

/** What the load calls: a kvraft Clerk's reads and appends. */
interface KvCalls {
  get(key: string): Promise<string>;
  append(key: string, value: string): Promise<void>;
}

/** Where a load records what it did. */
export interface KvLoadLog {
  /** Every completed operation, with call and return times from `now`, for porcupine. */
  readonly history: Array<Operation<KvInput, KvOutput>>;
  readonly now: () => number;
  /** Hears each Append that returned: its key and its token (unique to the client and operation). */
  readonly appended?: (key: string, token: string) => void;
}

/**
 * Client `c`'s load until `running()` turns false: on keys k0, k1, k2 in turn, two Appends of a
 * unique token for every Get. An operation that fails ends the load (the Promise rejects).
 */
export async function kvLoad(
  clerk: KvCalls,
  c: number,
  running: () => boolean,
  log: KvLoadLog,
): Promise<void> {
  const { history, now } = log;
  for (let n = 0; running(); n++) {
    const key = `k${(c + n) % 3}`;
    const call = now();
    if (n % 3 === 2) {
      const value = await clerk.get(key);
      history.push({ clientId: c, input: { op: "get", key }, call, output: { value }, return: now() });
    } else {
      const token = `[${c}.${n}]`;
      await clerk.append(key, token);
      history.push({
        clientId: c,
        input: { op: "append", key, value: token },
        call,
        output: {},
        return: now(),
      });
      log.appended?.(key, token);
    }
  }
}

/**
 * Waits, at most `withinMs`, until `history` holds more than `count` operations: enough to judge
 * however slow a loaded machine is (one run once had only 25 after its faults).
 */
export async function untilOperations(
  history: readonly unknown[],
  count: number,
  withinMs = 20_000,
): Promise<void> {
  for (const until = performance.now() + withinMs; history.length <= count && performance.now() < until; )
    await new Promise((resolve) => setTimeout(resolve, 100));
}
