import { customRandom, urlAlphabet } from "nanoid";
import type { Random } from "./sim/random.js";

/**
 * A random base64url name (20 characters by default, as the lab harnesses use for end names),
 * drawn from `random` so that simulated runs stay reproducible.
 */
export function randomName(random: Random, length = 20): string {
  const bytes = (size: number): Uint8Array => {
    const out = new Uint8Array(size);
    for (let i = 0; i < size; i++) out[i] = random.int(256);
    return out;
  };
  return customRandom(urlAlphabet, length, bytes)();
}
