import type { Clock, Random, Timer } from "@raftkit/raft";

/**
 * The real clock and randomness, used only when the caller injects none. This is the one place
 * in kvsrv (and kvraft, which imports it) that touches Node's timers and Math.random.
 */
export const realClock: Clock = {
  now: () => performance.now(),
  setTimer(delayMs: number, callback: () => void): Timer {
    const handle = setTimeout(callback, Math.max(0, delayMs));
    return { cancel: () => clearTimeout(handle) };
  },
  sleep: (delayMs: number) => new Promise((resolve) => setTimeout(resolve, Math.max(0, delayMs))),
};

export const realRandom: Random = {
  float: () => Math.random(),
  int: (n: number) => Math.floor(Math.random() * n),
};
