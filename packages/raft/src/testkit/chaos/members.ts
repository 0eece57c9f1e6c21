import type { Random } from "../../interfaces.js";

/** `k` distinct members of 0..n-1, in random order. */
export function pick(random: Random, n: number, k: number, exclude: readonly number[] = []): number[] {
  const pool = Array.from({ length: n }, (_, i) => i).filter((i) => !exclude.includes(i));
  for (let i = pool.length - 1; i > 0; i--) {
    const j = random.int(i + 1);
    [pool[i], pool[j]] = [pool[j]!, pool[i]!];
  }
  return pool.slice(0, Math.min(k, pool.length));
}

/** The smallest majority of n. */
export const majority = (n: number): number => Math.floor(n / 2) + 1;

/** `{0,1} | {2,3,4}` */
export const sides = (...groups: readonly (readonly number[])[]): string =>
  groups.map((g) => `{${[...g].sort((a, b) => a - b).join(",")}}`).join(" | ");
