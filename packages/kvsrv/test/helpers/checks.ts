/** The element a client appends as its `j`th value, as in the lab: `x <cli> <j> y`. */
export function element(cli: number, j: number): string {
  return `x ${cli} ${j} y`;
}

/**
 * Checks that `value` holds each client's elements `0..counts[cli]-1` exactly once and in order
 * (the lab's checkConcurrentAppends).
 */
export function checkConcurrentAppends(value: string, counts: readonly number[]): void {
  counts.forEach((count, cli) => {
    let lastOffset = -1;
    for (let j = 0; j < count; j++) {
      const wanted = element(cli, j);
      const offset = value.indexOf(wanted);
      if (offset < 0) throw new Error(`${cli} missing element ${wanted} in Append result ${value}`);
      if (value.lastIndexOf(wanted) !== offset)
        throw new Error(`duplicate element ${wanted} in Append result`);
      if (offset <= lastOffset) throw new Error(`wrong order for element ${wanted} in Append result`);
      lastOffset = offset;
    }
  });
}

/** Checks that `value` holds client `cli`'s elements `0..count-1` once each, in order (checkClntAppends). */
export function checkClientAppends(cli: number, value: string, count: number): void {
  const counts = Array.from({ length: cli + 1 }, (_, i) => (i === cli ? count : 0));
  checkConcurrentAppends(value, counts);
}
