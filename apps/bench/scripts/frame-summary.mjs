// Adds up frame-tap.mjs's tallies (the directory given) and prints each kind of frame per Submit
// (call 16): frames, bytes per frame, bytes per op; and AppendEntries' entries per frame.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

const NAMES = {
  "call 1": "AppendEntries",
  "reply to 1": "AppendEntries reply",
  "call 16": "Service.Submit",
  "reply to 16-18": "Submit/Read/OpenSession reply",
  "call 17": "Service.Read",
  "call 18": "Service.OpenSession",
};

const dir = process.argv[2];
if (!dir) {
  console.error("usage: node frame-summary.mjs <FRAME_TAP_DIR>");
  process.exit(2);
}
const all = new Map();
for (const file of readdirSync(dir).filter((f) => f.endsWith(".json"))) {
  const role = file.replace(/^\d+-|\.json$/g, "");
  for (const [kind, t] of Object.entries(JSON.parse(readFileSync(join(dir, file), "utf8")))) {
    const key = `${role}: ${NAMES[kind] ?? kind}`;
    const sum = all.get(key) ?? { frames: 0, bytes: 0, entries: 0 };
    for (const field of ["frames", "bytes", "entries"]) sum[field] += t[field];
    all.set(key, sum);
  }
}
const ops = all.get("client: Service.Submit")?.frames ?? 0;
if (ops === 0) {
  console.error(`no Service.Submit frames in ${dir}`);
  process.exit(1);
}
let total = 0;
for (const [key, t] of [...all].sort(([a], [b]) => a.localeCompare(b))) {
  total += t.bytes;
  const entries = t.entries ? `  ${(t.entries / t.frames).toFixed(2)} entries/frame` : "";
  console.log(
    `${key.padEnd(44)} ${(t.frames / ops).toFixed(3).padStart(7)} frames/op ${(t.bytes / t.frames).toFixed(1).padStart(7)} B/frame ${(t.bytes / ops).toFixed(1).padStart(7)} B/op${entries}`,
  );
}
console.log(`${"total".padEnd(44)} ${(total / ops).toFixed(1)} bytes per Submit (${ops} Submits)`);
