// Nearest-rank percentiles of latencies in ms, as the measuring scripts print them
// (disk-floor.mjs, put-timeline.mjs).

/** { p50, p90, p99, p999, max } of `values`; all undefined when there are none. */
export function percentiles(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (p) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))];
  return { p50: at(0.5), p90: at(0.9), p99: at(0.99), p999: at(0.999), max: sorted.at(-1) };
}
