import { align, int, ms } from "../report/table.js";
import type { CatchUpRun } from "./catch-up.js";
import type { MembershipResults, Summary } from "./run.js";
import type { StallRun } from "./stall.js";

const mb = (bytes: number) => (bytes / 1e6).toFixed(bytes < 1e7 ? 2 : 1);

function catchUpRow(r: Summary<CatchUpRun>): string[] {
  return [
    int(r.keys),
    String(r.valueBytes),
    mb(r.stateBytes),
    int(r.logIndex),
    ms(r.learnerMs),
    ms(r.voterMs),
    `${ms(r.spread.min)}–${ms(r.spread.max)}`,
    mb(r.bytesReceived),
    String(r.snapshotChunks),
  ];
}

function changeRow(r: Summary<StallRun>): string[] {
  const dip = r.opsPerSecBefore > 0 ? (1 - r.opsPerSecDuring / r.opsPerSecBefore) * 100 : 0;
  return [
    r.change,
    ms(r.changeMs),
    int(r.opsPerSecBefore),
    int(r.opsPerSecDuring),
    `${dip.toFixed(0)}%`,
    ms(r.gapMsBefore),
    ms(r.gapMsDuring),
    `${ms(r.spread.min)}–${ms(r.spread.max)}`,
    r.voters.join(",") + (r.learners.length > 0 ? ` +${r.learners.join(",")}` : ""),
  ];
}

/** The catch-up table and the change table (each only if measured). */
export function formatMembershipTables(results: MembershipResults): string {
  const parts: string[] = [];
  if (results.catchUp.length > 0)
    parts.push(
      align(
        [
          "keys",
          "value B",
          "state MB",
          "log index",
          "learner ms",
          "voter ms",
          "(min–max)",
          "MB to it",
          "snap chunks",
        ],
        results.catchUp.map(catchUpRow),
      ),
    );
  if (results.changes.length > 0)
    parts.push(
      align(
        [
          "change",
          "change ms",
          "ops/s before",
          "ops/s during",
          "dip",
          "gap ms before",
          "gap ms during",
          "(min–max)",
          "voters after",
        ],
        results.changes.map(changeRow),
      ),
    );
  return parts.join("\n\n");
}
