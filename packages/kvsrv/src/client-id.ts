import type { Random } from "@raftkit/raft";
import { customRandom, nanoid, urlAlphabet } from "nanoid";

const ID_LENGTH = 21;

/**
 * A fresh client id: a 21-character nanoid, from the system's secure randomness by default, or
 * drawn from `random` (for reproducible simulations).
 */
export function newClientId(random?: Random): string {
  if (random === undefined) return nanoid(ID_LENGTH);
  const bytes = (size: number): Uint8Array => {
    const out = new Uint8Array(size);
    for (let i = 0; i < size; i++) out[i] = random.int(256);
    return out;
  };
  return customRandom(urlAlphabet, ID_LENGTH, bytes)();
}
