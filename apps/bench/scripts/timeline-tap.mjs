// Records when a process's socket writes and reads happen, its fdatasyncs and its garbage
// collections, on the machine's monotonic clock (the same in every process), for
// put-timeline.mjs. That script preloads it into the members it starts
// (NODE_OPTIONS="--import .../timeline-tap.mjs") and imports it itself; SIGUSR2 makes a member
// write what it recorded to TIMELINE_TAP_DIR/<pid>.json. Only for measuring: the arrays grow
// with every event.
import { writeFileSync } from "node:fs";
import { createRequire, syncBuiltinESMExports } from "node:module";
import net from "node:net";
import { join } from "node:path";
import { PerformanceObserver, performance } from "node:perf_hooks";

/** Milliseconds on the monotonic clock, to the microsecond. */
export const now = () => Number(process.hrtime.bigint() / 1000n) / 1000;

/**
 * sockets: [ms, "w" | "r", localPort, remotePort, bytes]; fsyncs: [start ms, duration ms];
 * gcs: [start ms, duration ms].
 */
export const timeline = { pid: process.pid, sockets: [], fsyncs: [], gcs: [] };

const write = net.Socket.prototype.write;
net.Socket.prototype.write = function (chunk, ...rest) {
  timeline.sockets.push([now(), "w", this.localPort, this.remotePort, chunk?.length ?? 0]);
  return write.call(this, chunk, ...rest);
};
const push = net.Socket.prototype.push;
net.Socket.prototype.push = function (chunk, ...rest) {
  if (chunk) timeline.sockets.push([now(), "r", this.localPort, this.remotePort, chunk.length]);
  return push.call(this, chunk, ...rest);
};

// The persister calls fs.fdatasync through `import * as fs`: patch the module, then let the
// ES module view of it follow.
const fs = createRequire(import.meta.url)("node:fs");
const fdatasync = fs.fdatasync;
fs.fdatasync = function (fd, callback) {
  const started = now();
  return fdatasync.call(this, fd, (...args) => {
    timeline.fsyncs.push([started, now() - started]);
    callback(...args);
  });
};
syncBuiltinESMExports();

new PerformanceObserver((list) => {
  const at = now() - performance.now();
  for (const entry of list.getEntries()) timeline.gcs.push([at + entry.startTime, entry.duration]);
}).observe({ entryTypes: ["gc"] });

const dir = process.env.TIMELINE_TAP_DIR;
if (dir)
  process.on("SIGUSR2", () => writeFileSync(join(dir, `${process.pid}.json`), JSON.stringify(timeline)));
