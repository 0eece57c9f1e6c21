/** The value client `cli` appends as its `j`th element, as in the lab: `x <cli> <j> y`. */
export function element(cli: number, j: number): string {
  return `x ${cli} ${j} y`;
}

/**
 * The lab's checkConcurrentAppends: `value` holds elements `0..counts[cli]-1` of every client,
 * each exactly once, and each client's in order.
 */
export function checkConcurrentAppends(value: string, counts: readonly number[]): void {
  for (let cli = 0; cli < counts.length; cli++) {
    let previous = -1;
    for (let j = 0; j < counts[cli]!; j++) {
      const wanted = element(cli, j);
      const at = value.indexOf(wanted);
      if (at < 0) throw new Error(`${cli} missing element ${wanted} in Append result ${value}`);
      if (value.indexOf(wanted, at + 1) >= 0) throw new Error(`duplicate element ${wanted} in Append result`);
      if (at <= previous) throw new Error(`wrong order for element ${wanted} in Append result`);
      previous = at;
    }
  }
}

/** The lab's checkClntAppends: client `cli`'s elements `0..count-1`, once each, in order. */
export function checkClientAppends(cli: number, value: string, count: number): void {
  const counts = new Array<number>(cli + 1).fill(0);
  counts[cli] = count;
  checkConcurrentAppends(value, counts);
}

/** An Append as the one-key test records it: its element and when it was called and returned. */
export interface TimedAppend {
  readonly value: string;
  readonly call: number;
  readonly return: number;
}

/**
 * For a history of Appends to one key (from "") followed by a Get that returned `final`: the
 * history is linearizable iff `final` is the concatenation of all the elements in some order
 * that respects real time (an Append that returned before another was called comes first). The
 * order is fixed by where each element sits in `final`, so this decides what porcupine's search
 * (exponential in concurrent Appends nobody observes) cannot within its budget.
 */
export function checkAppendOrder(appends: readonly TimedAppend[], final: string): void {
  const placed = appends.map((a) => ({ ...a, at: final.indexOf(a.value) }));
  for (const a of placed) if (a.at < 0) throw new Error(`missing element ${a.value} in ${final}`);
  placed.sort((a, b) => a.at - b.at);
  if (placed.map((a) => a.value).join("") !== final) {
    throw new Error(`final value is not exactly the appended elements: ${final}`);
  }
  let latestCall = Number.NEGATIVE_INFINITY;
  for (const a of placed) {
    // Every element placed earlier must not have been called after this one returned.
    if (latestCall > a.return)
      throw new Error(`element ${a.value} is placed after an Append called after it returned`);
    latestCall = Math.max(latestCall, a.call);
  }
}
