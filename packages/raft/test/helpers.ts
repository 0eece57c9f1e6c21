import type { Random } from "../src/index.js";

/** Fails the test with `message` unless `condition` holds. */
export function check(condition: boolean, message: string): asserts condition {
  if (!condition) throw new Error(message);
}

const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/** A random base64-alphabet string of `n` characters (the lab's randstring). */
export function randstring(random: Random, n: number): string {
  let out = "";
  for (let i = 0; i < n; i++) out += ALPHABET[random.int(64)];
  return out;
}

/** A random non-negative integer, as Go's rand.Int() is used for commands. */
export const randInt = (random: Random): number => random.int(2 ** 31);
