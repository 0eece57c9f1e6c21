import type { Random } from "../../interfaces.js";

/** `k` distinct members of `pool` (member ids), in random order. */
export function pick(
  random: Random,
  pool: readonly number[],
  k: number,
  exclude: readonly number[] = [],
): number[] {
  const chosen = pool.filter((i) => !exclude.includes(i));
  for (let i = chosen.length - 1; i > 0; i--) {
    const j = random.int(i + 1);
    [chosen[i], chosen[j]] = [chosen[j]!, chosen[i]!];
  }
  return chosen.slice(0, Math.min(k, chosen.length));
}

/** The smallest majority of n. */
export const majority = (n: number): number => Math.floor(n / 2) + 1;

/** `{0,1} | {2,3,4}` */
export const sides = (...groups: readonly (readonly number[])[]): string =>
  groups.map((g) => `{${[...g].sort((a, b) => a - b).join(",")}}`).join(" | ");
