import { writeFileSync } from "node:fs";
import { UsageError } from "../options.js";
import { currentCommit } from "../report/run-info.js";
import { MEMBERSHIP_HELP, parseMembershipOptions } from "./options.js";
import { runMembershipBench } from "./run.js";
import { formatMembershipTables } from "./table.js";

/** `raftkit-bench membership [options]`: argv to exit code. */
export async function membershipCommand(argv: string[]): Promise<number> {
  let options: ReturnType<typeof parseMembershipOptions>;
  try {
    options = parseMembershipOptions(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    console.error(`raftkit-bench membership: ${error.message}\nRun with --help for the options.`);
    return 2;
  }
  if (options.help) {
    process.stdout.write(MEMBERSHIP_HELP);
    return 0;
  }
  const run = {
    date: new Date().toISOString(),
    node: process.version,
    commit: currentCommit(),
    parameters: {
      runs: options.runs,
      clients: options.clients,
      keys: options.keys,
      valueBytes: options.valueBytes,
      warmupS: options.warmupMs / 1000,
      windowS: options.windowMs / 1000,
      maxRaftStateBytes: options.maxRaftStateBytes ?? "raftkit-kv's default",
      timing: options.timing ?? "raftkit-kv's defaults",
    },
  };
  console.log(
    `raftkit-bench membership: ${options.runs} run(s) each, a fresh cluster per run (median shown); ` +
      `changes under ${options.clients} clients putting ${options.valueBytes}-byte values; node ${run.node}, commit ${run.commit}`,
  );
  const results = await runMembershipBench(options);
  console.log(formatMembershipTables(results));
  if (options.json) {
    writeFileSync(options.json, `${JSON.stringify({ run, ...results }, null, 2)}\n`);
    console.log(`wrote ${options.json}`);
  }
  return 0;
}
