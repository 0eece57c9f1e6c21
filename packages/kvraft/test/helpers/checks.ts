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
