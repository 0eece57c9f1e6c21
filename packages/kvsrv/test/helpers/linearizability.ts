import {
  assertLinearizable,
  checkOperations,
  type KvInput,
  type KvOutput,
  kvModel,
  type Operation,
} from "@raftkit/porcupine";

/** One completed key/value operation, as porcupine's kvModel reads it. */
export type KvOperation = Operation<KvInput, KvOutput>;

/** A sequential single-client history of `n` Appends and Gets on one key. */
function sequentialHistory(n: number): KvOperation[] {
  const history: KvOperation[] = [];
  let value = "";
  for (let j = 0; j < n; j++) {
    const [call, ret] = [2 * j, 2 * j + 1];
    if (j % 2 === 0) {
      history.push({
        input: { op: "append", key: "k", value: `x ${j} y` },
        call,
        output: { value },
        return: ret,
      });
      value += `x ${j} y`;
    } else {
      history.push({ input: { op: "get", key: "k" }, call, output: { value }, return: ret });
    }
  }
  return history;
}

/**
 * The lab's budget is 1 s of wall-clock time. On a busy machine that can run out before the
 * checker is done, which passes as "unknown"; RAFTKIT_CHECK_TIMEOUT_MS raises it (soak runs use it
 * so that every history is fully checked).
 */
function checkTimeoutMs(): number {
  const text = process.env.RAFTKIT_CHECK_TIMEOUT_MS;
  const ms = text === undefined || text === "" ? 1000 : Number(text);
  if (!Number.isFinite(ms) || ms < 0)
    throw new RangeError(`RAFTKIT_CHECK_TIMEOUT_MS must be >= 0, got "${text}"`);
  return ms;
}

let warm = false;

/**
 * The checker's budget is wall-clock time. The first check in a process also pays for compiling
 * the checker, which on a busy machine can use up the whole second; so a small history is
 * checked once first, without a budget, to have the hot code compiled.
 */
async function warmUp(): Promise<void> {
  if (warm) return;
  warm = true;
  const result = checkOperations(kvModel, sequentialHistory(3000));
  if (result !== "ok") throw new Error(`porcupine rejected a sequential history (${result})`);
}

/**
 * Checks a key/value history with porcupine's kvModel (1 s budget, as the lab, by default). An illegal
 * history throws, naming the visualisation file; a timeout passes with an info line.
 */
export async function checkLinearizable(history: KvOperation[]): Promise<void> {
  await warmUp();
  if (assertLinearizable(kvModel, history, { timeout: checkTimeoutMs() }) === "unknown") {
    console.log("  info: linearizability check timed out, assuming history is ok");
  }
}
