import type { Random } from "@raftkit/raft";
import { customRandom, nanoid, urlAlphabet } from "nanoid";

const ID_LENGTH = 21;

/**
 * A fresh client id: a 21-character nanoid, from the system's secure randomness by default, or
 * drawn from `random` (for reproducible simulations).
 */
export function newClientId(random?: Random): string {
  if (random === undefined) return flat(nanoid(ID_LENGTH));
  const bytes = (size: number): Uint8Array => {
    const out = new Uint8Array(size);
    for (let i = 0; i < size; i++) out[i] = random.int(256);
    return out;
  };
  return flat(customRandom(urlAlphabet, ID_LENGTH, bytes)());
}

/**
 * nanoid builds an id one character at a time, which V8 keeps as a chain of rope nodes (about
 * 300 bytes for 21 characters) until something flattens it. A clerk keeps its id for life, so
 * it keeps a flat copy (about 40 bytes).
 */
function flat(id: string): string {
  return [...id].join("");
}
