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
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => b - a);
  return sorted[majority(values.length) - 1]!;
}
