#!/usr/bin/env node
import { runOnce } from "./commands/once.js";
import { serve } from "./commands/serve.js";
import { shell } from "./commands/shell.js";
import { HELP, parseCommand, UsageError } from "./options.js";

async function main(argv: string[]): Promise<number> {
  let command: ReturnType<typeof parseCommand>;
  try {
    command = parseCommand(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    console.error(`raftkit-kv: ${error.message}\nRun raftkit-kv --help for usage.`);
    return 2;
  }
  const log = (line: string) => console.error(`[raftkit-kv] ${line}`);
  switch (command.kind) {
    case "help":
      process.stdout.write(HELP);
      return 0;
    case "serve":
      await serve(command, log);
      return 0;
    case "shell":
      await shell(command, (line) => console.log(line));
      return 0;
    default:
      console.log(await runOnce(command));
      return 0;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(`raftkit-kv: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  },
);
