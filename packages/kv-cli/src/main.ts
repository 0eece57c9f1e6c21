#!/usr/bin/env node
import { readFileSync } from "node:fs";
import { remove } from "./commands/delete.js";
import { get } from "./commands/get.js";
import { serve } from "./commands/serve.js";
import { shell } from "./commands/shell.js";
import { status } from "./commands/status.js";
import { write } from "./commands/write.js";
import { KvCliError } from "./errors.js";
import { COMMAND_HELP, HELP } from "./help.js";
import { parseCommand, UsageError } from "./options.js";

function version(): string {
  const pkg = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as {
    version: string;
  };
  return pkg.version;
}

/** Runs the command line; resolves with the exit code (see the help text for their meaning). */
async function main(argv: string[]): Promise<number> {
  const command = parseCommand(argv);
  switch (command.kind) {
    case "help":
      if (command.topic !== undefined && !(command.topic in COMMAND_HELP))
        throw new UsageError(
          `no help for "${command.topic}"; commands: ${Object.keys(COMMAND_HELP).join(", ")}`,
        );
      process.stdout.write(command.topic === undefined ? HELP : COMMAND_HELP[command.topic]!);
      return 0;
    case "version":
      process.stdout.write(`raftkit-kv ${version()}\n`);
      return 0;
    case "serve":
      await serve(command);
      return 0;
    case "get":
      await get(command);
      return 0;
    case "put":
    case "append":
      await write(command);
      return 0;
    case "delete":
      await remove(command);
      return 0;
    case "status":
      await status(command);
      return 0;
    case "shell":
      return (await shell(command)) ? 0 : 1;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    if (error instanceof UsageError) {
      console.error(`raftkit-kv: ${error.message}\nRun raftkit-kv --help for usage.`);
      process.exitCode = 2;
    } else if (error instanceof KvCliError) {
      console.error(`raftkit-kv: ${error.message}`);
      process.exitCode = error.exitCode;
    } else {
      console.error(`raftkit-kv: ${error instanceof Error ? error.message : String(error)}`);
      process.exitCode = 1;
    }
  },
);
