import { ClusterClient } from "../cluster-client.js";
import { diagnose, problemOf } from "../diagnose.js";
import { KvCliError } from "../errors.js";
import type { Common } from "../options.js";
import { statusJson } from "../output/status-json.js";
import { statusRows } from "../output/status-rows.js";
import { statusTable } from "../output/status-table.js";

/**
 * Asks every member for its state and prints one row each. Fails (exit 1, after printing) when
 * the cluster cannot work (no quorum, wrong cluster name, ...) or no member leads.
 */
export async function status(command: Common & { json: boolean }): Promise<void> {
  const client = new ClusterClient(command);
  try {
    const probes = await client.probe(Math.min(command.timeoutMs, 2000));
    const leads = probes.some((p) => p.status?.isLeader);
    // A cluster that cannot work (no quorum, say, even if a cut-off member still believes it
    // leads) is an error that lists the problems; the table then leaves them out.
    const verdict = diagnose(probes, command, undefined);
    const rows = statusRows(probes, (p) => problemOf(p));
    process.stdout.write(command.json ? statusJson(rows) : statusTable(rows, { problems: !verdict }));
    if (verdict) throw verdict;
    if (!leads)
      throw new KvCliError("no member leads right now (an election may be in progress); run status again");
  } finally {
    await client.close();
  }
}
