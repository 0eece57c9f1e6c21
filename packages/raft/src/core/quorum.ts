/**
 * Majority arithmetic, in one place. Members are counted, never positioned: every function
 * takes the voters' values as a list, so it holds for any set of member ids.
 */

/** How many of `voters` members make a majority. */
export function majority(voters: number): number {
  return Math.floor(voters / 2) + 1;
}

/** Whether `count` of `voters` members is a majority. */
export function isMajority(count: number, voters: number): boolean {
  return count >= majority(voters);
}

/**
 * The highest value that a majority of the voters has reached, given each voter's value (a
 * match index, an acknowledged message number, the send time of its latest acknowledged
 * message): the majority-th largest. With no voters it is 0.
 */
export function majorityValue(values: readonly number[]): number {
  return majorityValueOf(values, itself);
}

const itself = (value: number): number => value;

// The leader recomputes its commit index on every acknowledgement: a copied and sorted array
// there was its largest allocation per one-client put (2.6 of 34 KB, counted by
// apps/bench/scripts/put-costs.mjs). One scratch list serves every call (calls never nest).
const scratch: number[] = [];

/**
 * `majorityValue` of `valueAt(voter)` for each of `voters`, without allocating: the values go
 * into a scratch list, largest first, by insertion (voter lists are short).
 */
export function majorityValueOf<T>(voters: readonly T[], valueAt: (voter: T) => number): number {
  const n = voters.length;
  if (n === 0) return 0;
  for (let i = 0; i < n; i++) {
    const value = valueAt(voters[i]!);
    let j = i;
    for (; j > 0 && scratch[j - 1]! < value; j--) scratch[j] = scratch[j - 1]!;
    scratch[j] = value;
  }
  return scratch[majority(n) - 1]!;
}
