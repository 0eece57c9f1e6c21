import type { MembersView } from "@raftkit/service";

const HEADER = ["MEMBER", "ROLE", "ADDRESS", ""];

/** The configuration as an aligned table: voters, then learners, the leader marked. */
export function memberTable(reply: MembersView & { addresses: readonly string[] }): string {
  const { voters, learners, autoPromote } = reply.membership;
  const row = (id: number, role: string) => [
    String(id),
    role,
    reply.addresses[id] || "-",
    id === reply.leaderId ? "leader" : autoPromote.includes(id) ? "promoted once caught up" : "",
  ];
  const cells = [...voters.map((id) => row(id, "voter")), ...learners.map((id) => row(id, "learner"))];
  const widths = HEADER.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)));
  const line = (c: string[]) =>
    c
      .map((cell, i) => cell.padEnd(widths[i]!))
      .join("  ")
      .trimEnd();
  return `${[line(HEADER), ...cells.map(line)].join("\n")}\n`;
}
