import { createInterface } from "node:readline/promises";
import { connect, perform } from "../connect.js";
import type { Command } from "../options.js";

const SHELL_HELP = "commands: get <key> | put <key> <value> | append <key> <value> | help | quit";

/** Reads `get/put/append` lines until end of input or `quit`, printing each result. */
export async function shell(
  command: Extract<Command, { kind: "shell" }>,
  out: (line: string) => void,
): Promise<void> {
  const { clerk, close } = connect(command);
  const rl = createInterface({ input: process.stdin, output: process.stdout, terminal: process.stdin.isTTY });
  out(`connected to ${command.peers.join(", ")}; ${SHELL_HELP}`);
  try {
    for await (const line of rl) {
      const [verb, ...args] = line.trim().split(/\s+/).filter(Boolean);
      if (!verb) continue;
      if (verb === "quit" || verb === "exit") break;
      if (verb === "help") {
        out(SHELL_HELP);
        continue;
      }
      const arity = verb === "get" ? 1 : verb === "put" || verb === "append" ? 2 : -1;
      if (arity < 0 || args.length < arity) {
        out(
          `error: ${arity < 0 ? `unknown command "${verb}"` : `${verb} needs ${arity} argument(s)`}; ${SHELL_HELP}`,
        );
        continue;
      }
      // A value may contain spaces: everything after the key is the value.
      const parts = arity === 2 ? [args[0]!, args.slice(1).join(" ")] : [args[0]!];
      try {
        out(await perform(clerk, verb as "get" | "put" | "append", parts, command.timeoutMs));
      } catch (error) {
        out(`error: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
  } finally {
    rl.close();
    await close();
  }
}
