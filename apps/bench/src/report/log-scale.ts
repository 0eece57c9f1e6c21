/**
 * A base-10 logarithmic axis with round ticks. The report needs one: a linear axis from 0 drew
 * every TCP row (hundreds to thousands of ops/s) flat on zero beside the in-memory rows (~200,000).
 */
export interface LogScale {
  /** The axis covers [min, max]: round values around the data. */
  min: number;
  max: number;
  ticks: number[];
  /** Position of `value` on the axis, 0 at `min` to 1 at `max`; values at or below 0 sit at 0. */
  position(value: number): number;
}

const round = (v: number) => Number(v.toPrecision(1));

/** An axis over the positive values given (others are ignored); ticks at 1, 2, 5 × 10^k when few decades. */
export function logScale(values: readonly number[]): LogScale {
  const positive = values.filter((v) => v > 0 && Number.isFinite(v));
  const lo = positive.length > 0 ? Math.min(...positive) : 1;
  const hi = positive.length > 0 ? Math.max(...positive) : 10;
  let first = Math.floor(Math.log10(lo));
  let last = Math.ceil(Math.log10(hi));
  if (last === first) last++;
  if (last - first < 2) first--;
  const steps = last - first <= 3 ? [1, 2, 5] : [1];
  const ticks: number[] = [];
  for (let k = first; k <= last; k++) {
    for (const m of steps) if (k < last || m === 1) ticks.push(round(m * 10 ** k));
  }
  const [min, max] = [10 ** first, 10 ** last];
  const span = Math.log10(max) - Math.log10(min);
  return {
    min,
    max,
    ticks,
    position: (value) =>
      value > 0 ? Math.min(1, Math.max(0, (Math.log10(value) - Math.log10(min)) / span)) : 0,
  };
}

/** A tick's label: 0.001 … 500, then 1k, 20k, 1M (every tick is one significant digit). */
export function tickLabel(value: number): string {
  if (value >= 1e6) return `${round(value / 1e6)}M`;
  if (value >= 1e3) return `${round(value / 1e3)}k`;
  return String(round(value));
}
