#!/usr/bin/env node
import { writeFileSync } from "node:fs";
import { membershipCommand } from "./membership/command.js";
import { HELP, parseOptions, UsageError } from "./options.js";
import { compareWithYardsticks, formatComparisons } from "./report/comparison.js";
import { formatHtml } from "./report/html.js";
import { collectRunInfo, describeParameters } from "./report/run-info.js";
import { formatTable } from "./report/table.js";
import { runBench } from "./run.js";

async function main(argv: string[]): Promise<number> {
  if (argv[0] === "membership") return membershipCommand(argv.slice(1));
  let options: ReturnType<typeof parseOptions>;
  try {
    options = parseOptions(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    console.error(`raftkit-bench: ${error.message}\nRun with --help for the options.`);
    return 2;
  }
  if (options.help) {
    process.stdout.write(HELP);
    return 0;
  }
  const info = collectRunInfo(options, new Date());
  console.log(`raftkit-bench: ${describeParameters(info)}; node ${info.node}, commit ${info.commit}`);
  const results = await runBench(options);
  console.log(formatTable(results));
  const comparisons = compareWithYardsticks(options.scenarios, results);
  if (comparisons.length > 0) console.log(`\n${formatComparisons(comparisons)}`);
  if (options.json) {
    const report = { run: info, results, ...(comparisons.length > 0 ? { comparisons } : {}) };
    writeFileSync(options.json, `${JSON.stringify(report, null, 2)}\n`);
    console.log(`wrote ${options.json}`);
  }
  if (options.html) {
    writeFileSync(options.html, formatHtml(info, results, "raftkit benchmark"));
    console.log(`wrote ${options.html}`);
  }
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  },
);
