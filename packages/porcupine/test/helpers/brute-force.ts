import type { Model, Operation } from "../../src/index.js";

/**
 * Reference checker for tiny histories: tries every order that respects real time (an operation that
 * returned strictly before another was called comes first), without memoisation.
 */
export function bruteForceLinearizable<S, I, O>(model: Model<S, I, O>, history: Operation<I, O>[]): boolean {
  const done = new Array<boolean>(history.length).fill(false);
  const search = (state: S, remaining: number): boolean => {
    if (remaining === 0) return true;
    for (let j = 0; j < history.length; j++) {
      if (done[j]) continue;
      const candidate = history[j]!;
      const blocked = history.some((other, i) => !done[i] && i !== j && other.return < candidate.call);
      if (blocked) continue;
      const step = model.step(state, candidate.input, candidate.output);
      if (!step.ok) continue;
      done[j] = true;
      const found = search(step.state, remaining - 1);
      done[j] = false;
      if (found) return true;
    }
    return false;
  };
  return search(model.init(), history.length);
}

/** Is `order` a legal linearization of `history` (real-time order respected, every step accepted)? */
export function isLinearization<S, I, O>(
  model: Model<S, I, O>,
  history: readonly Operation<I, O>[],
  order: readonly number[],
): boolean {
  if (new Set(order).size !== history.length || order.length !== history.length) return false;
  let state = model.init();
  for (let k = 0; k < order.length; k++) {
    const operation = history[order[k]!]!;
    for (let later = k + 1; later < order.length; later++) {
      if (history[order[later]!]!.return < operation.call) return false;
    }
    const step = model.step(state, operation.input, operation.output);
    if (!step.ok) return false;
    state = step.state;
  }
  return true;
}
