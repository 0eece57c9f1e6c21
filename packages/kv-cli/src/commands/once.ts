import { connect, perform } from "../connect.js";
import type { Command } from "../options.js";

type OneShot = Extract<Command, { kind: "get" | "put" | "append" }>;

/** Runs one operation and returns its result; an unreachable cluster fails after `--timeout`. */
export async function runOnce(command: OneShot): Promise<string> {
  const { clerk, close } = connect(command);
  try {
    const args = command.kind === "get" ? [command.key] : [command.key, command.value];
    return await perform(clerk, command.kind, args, command.timeoutMs);
  } finally {
    await close();
  }
}
