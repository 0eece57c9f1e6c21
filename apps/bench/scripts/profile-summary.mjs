#!/usr/bin/env node
// Prints the functions with the most self time in each .cpuprofile given (node --cpu-prof's
// format): `node apps/bench/scripts/profile-summary.mjs <file|dir>... [--top N]`.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { basename, join } from "node:path";

const args = process.argv.slice(2);
const topAt = args.indexOf("--top");
const top = topAt >= 0 ? Number(args.splice(topAt, 2)[1]) : 25;
const files = args.flatMap((path) =>
  statSync(path).isDirectory()
    ? readdirSync(path)
        .filter((f) => f.endsWith(".cpuprofile"))
        .map((f) => join(path, f))
    : [path],
);
if (files.length === 0) {
  console.error("usage: profile-summary.mjs <file.cpuprofile | dir>... [--top N]");
  process.exit(2);
}

for (const file of files) {
  const profile = JSON.parse(readFileSync(file, "utf8"));
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map();
  // timeDeltas[i] is the time before samples[i]: charge it to that sample's function.
  for (let i = 0; i < profile.samples.length; i++) {
    const node = byId.get(profile.samples[i]);
    const { functionName, url, lineNumber } = node.callFrame;
    const where = url ? `${basename(url)}:${lineNumber + 1}` : "";
    const key = `${functionName || "(anonymous)"} ${where}`.trim();
    self.set(key, (self.get(key) ?? 0) + (profile.timeDeltas[i] ?? 0));
  }
  const total = [...self.values()].reduce((a, b) => a + b, 0);
  const idle = self.get("(idle)") ?? 0;
  console.log(
    `\n${basename(file)}: ${(total / 1e3).toFixed(0)} ms sampled, ${((total - idle) / 1e3).toFixed(0)} ms busy`,
  );
  const rows = [...self.entries()].filter(([k]) => k !== "(idle)").sort((a, b) => b[1] - a[1]);
  for (const [key, us] of rows.slice(0, top)) {
    const pct = ((100 * us) / Math.max(1, total - idle)).toFixed(1).padStart(5);
    console.log(`${pct}% ${(us / 1e3).toFixed(1).padStart(8)} ms  ${key}`);
  }
}
