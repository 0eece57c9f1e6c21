import type { StatusRow } from "./status-rows.js";

const HEADER = ["MEMBER", "ADDRESS", "ROLE", "TERM", "COMMIT", "APPLIED", "LAG", "LAST CONTACT"];

const shown = (value: number | undefined) => (value === undefined ? "-" : String(value));

function lastContact(row: StatusRow): string {
  if (row.role === "leader") return "(leader)";
  return row.lastContactMs === undefined ? "-" : `${row.lastContactMs} ms ago`;
}

/** A learner shows as one (its raft role is follower's, but it never votes nor counts in a quorum). */
function role(row: StatusRow): string {
  if (!row.learner) return row.role;
  return row.role === "unreachable" ? "unreachable learner" : "learner";
}

/** The rows as an aligned text table, then one line per unreachable member saying why. */
export function statusTable(rows: readonly StatusRow[], show = { problems: true }): string {
  const cells = rows.map((r) => [
    String(r.member),
    r.address,
    role(r),
    shown(r.term),
    shown(r.commit),
    shown(r.applied),
    shown(r.lag),
    lastContact(r),
  ]);
  const widths = HEADER.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)));
  const line = (c: string[]) =>
    c
      .map((cell, i) => cell.padEnd(widths[i]!))
      .join("  ")
      .trimEnd();
  const problems = show.problems ? rows.filter((r) => r.problem).map((r) => r.problem!) : [];
  return `${[line(HEADER), ...cells.map(line), ...(problems.length ? ["", ...problems] : [])].join("\n")}\n`;
}
