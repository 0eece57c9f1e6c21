import { randomInt } from "node:crypto";

/** A source of randomness. Every random choice in raftkit goes through one, so runs can be replayed. */
export interface Random {
  /** A float in [0, 1). */
  float(): number;
  /** An integer in [0, n); `n` must be a positive integer. */
  int(n: number): number;
}

function checkBound(n: number): void {
  if (!Number.isInteger(n) || n <= 0 || n > 2 ** 32) {
    throw new RangeError(`Random.int(n) needs an integer n in [1, 2^32], got ${n}`);
  }
}

/** splitmix32: spreads one 32-bit seed into well-mixed state words. */
function splitmix32(state: { s: number }): number {
  state.s = (state.s + 0x9e3779b9) | 0;
  let z = state.s;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) >>> 0;
}

/**
 * A seeded pseudo-random generator (sfc32): small, fast, and the same sequence for the same seed
 * on every platform. Not for cryptography.
 */
export class SeededRandom implements Random {
  readonly seed: number;
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(seed: number) {
    if (!Number.isSafeInteger(seed)) throw new RangeError(`seed must be a safe integer, got ${seed}`);
    this.seed = seed;
    const state = { s: (seed ^ Math.floor(seed / 2 ** 32)) | 0 };
    this.a = splitmix32(state);
    this.b = splitmix32(state);
    this.c = splitmix32(state);
    this.d = 1;
    for (let i = 0; i < 12; i++) this.next32();
  }

  /** The next 32 random bits as an unsigned integer. */
  next32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  float(): number {
    return this.next32() / 2 ** 32;
  }

  int(n: number): number {
    checkBound(n);
    return Math.floor(this.float() * n);
  }

  /** A new generator whose sequence depends only on this one's current state. */
  fork(): SeededRandom {
    return new SeededRandom(this.next32() * 2 ** 20 + (this.next32() >>> 12));
  }
}

/** Non-reproducible randomness from `Math.random`, for production use. */
export const realRandom: Random = {
  float: () => Math.random(),
  int(n: number): number {
    checkBound(n);
    return Math.floor(Math.random() * n);
  },
};

/** A fresh seed from the operating system's entropy, for runs that should differ but stay replayable. */
export function freshSeed(): number {
  return randomInt(0, 2 ** 31);
}
