// Counts what a process spends, whatever the load on the machine: bytes allocated on the V8 heap,
// garbage collections by kind and their total pause (V8's GCProfiler). put-costs.mjs preloads it
// into the members it starts (NODE_OPTIONS="--import .../cost-tap.mjs") and imports it itself;
// each SIGUSR2 appends the counters since start to COST_TAP_DIR/<pid>.jsonl, one JSON object a line.
import { appendFileSync, writeFileSync } from "node:fs";
import { Session } from "node:inspector";
import { join } from "node:path";
import v8 from "node:v8";

const KINDS = {
  Scavenge: "scavenges",
  MarkSweepCompact: "markCompacts",
  IncrementalMarking: "incrementalMarkings",
};
const totals = {
  scavenges: 0,
  markCompacts: 0,
  incrementalMarkings: 0,
  otherGcs: 0,
  gcPauseMs: 0,
  freedBytes: 0,
};

// V8 reports the heap's used size before and after each collection (and the collection's
// duration, the pause on this thread): what a collection freed was allocated since the start, so
// allocated = used now - used at start + everything freed.
const usedAtStart = v8.getHeapStatistics().used_heap_size;
let profiler = new v8.GCProfiler();
profiler.start();

/** The counters since this module was loaded. */
export function costCounters() {
  const { statistics } = profiler.stop();
  profiler = new v8.GCProfiler();
  profiler.start();
  for (const s of statistics) {
    totals[KINDS[s.gcType] ?? "otherGcs"]++;
    totals.gcPauseMs += s.cost / 1000;
    totals.freedBytes += s.beforeGC.heapStatistics.usedHeapSize - s.afterGC.heapStatistics.usedHeapSize;
  }
  const used = v8.getHeapStatistics().used_heap_size;
  return { ...totals, allocatedBytes: used - usedAtStart + totals.freedBytes };
}

// With COST_TAP_HEAP_PROFILE=1, V8's sampling heap profiler runs between the first and the second
// SIGUSR2, keeping the samples of objects that were collected since (the garbage is what costs the
// scavenges), and the second writes COST_TAP_DIR/<pid>.heapprofile (Chrome DevTools' format).
let session;
function heapProfile() {
  if (!session) {
    session = new Session();
    session.connect();
    session.post("HeapProfiler.startSampling", {
      samplingInterval: 1024,
      includeObjectsCollectedByMajorGC: true,
      includeObjectsCollectedByMinorGC: true,
    });
    return;
  }
  session.post("HeapProfiler.stopSampling", (error, result) => {
    if (!error) writeFileSync(join(dir, `${process.pid}.heapprofile`), JSON.stringify(result.profile));
  });
}

const dir = process.env.COST_TAP_DIR;
if (dir) {
  process.on("SIGUSR2", () => {
    appendFileSync(join(dir, `${process.pid}.jsonl`), `${JSON.stringify(costCounters())}\n`);
    if (process.env.COST_TAP_HEAP_PROFILE === "1") heapProfile();
  });
}
