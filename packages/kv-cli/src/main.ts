#!/usr/bin/env node
import { readFileSync } from "node:fs";
import { KvCliError } from "./errors.js";
import { COMMAND_HELP, HELP } from "./help.js";
import { parseCommand, UsageError } from "./options.js";

function version(): string {
  const pkg = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as {
    version: string;
  };
  return pkg.version;
}

/**
 * Runs the command line; resolves with the exit code (see the help text for their meaning). Each
 * command is loaded when run: a client does not load the member's logger, metrics and storage.
 */
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
      await (await import("./commands/serve.js")).serve(command);
      return 0;
    case "get":
      await (await import("./commands/get.js")).get(command);
      return 0;
    case "put":
    case "append":
      await (await import("./commands/write.js")).write(command);
      return 0;
    case "delete":
      await (await import("./commands/delete.js")).remove(command);
      return 0;
    case "status":
      await (await import("./commands/status.js")).status(command);
      return 0;
    case "member":
      await (await import("./commands/member.js")).member(command);
      return 0;
    case "shell":
      return (await (await import("./commands/shell.js")).shell(command)) ? 0 : 1;
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
