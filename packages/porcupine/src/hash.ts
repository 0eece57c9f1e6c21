/** 32-bit FNV-1a offset basis; pass a previous result as `seed` to continue hashing (s + t). */
export const FNV_OFFSET = 0x811c9dc5 | 0;

/** FNV-1a over the UTF-16 code units of `text`, continuing from `seed`. */
export function fnv1a(text: string, seed: number = FNV_OFFSET): number {
  let h = seed;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h | 0;
}

/** A well-mixed 32-bit function of a 32-bit integer (murmur3 finaliser). */
export function mix32(value: number): number {
  let h = value | 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h | 0;
}

/** Hash of a number that treats -0 and 0 alike and is stable for non-integers. */
export function hashNumber(value: number): number {
  if (Number.isInteger(value) && Math.abs(value) <= 0x7fffffff) return mix32(value | 0);
  return fnv1a(String(value), 0x2545f491);
}
