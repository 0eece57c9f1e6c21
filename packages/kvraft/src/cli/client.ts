import { createInterface } from "node:readline/promises";
import { TcpTransport } from "@raftkit/transport-tcp";
import { nanoid } from "nanoid";
import { Clerk } from "../clerk.js";
import { endsOf } from "../ends.js";
import type { Command, Common } from "./args.js";

type OneShot = Extract<Command, { kind: "get" | "put" | "append" }>;

/** A clerk over TCP, as a client (not a member) of the cluster. */
function connect(options: Common): { clerk: Clerk; close(): Promise<void> } {
  const tcp = new TcpTransport({
    cluster: options.cluster,
    self: `client-${nanoid(8)}`,
    peers: options.peers,
    callTimeoutMs: 2000,
    log: () => {},
  });
  const clerk = new Clerk(
    endsOf(
      tcp,
      options.peers.map((_, i) => i),
    ),
  );
  return { clerk, close: () => tcp.close() };
}

async function perform(
  clerk: Clerk,
  op: "get" | "put" | "append",
  args: string[],
  timeoutMs: number,
): Promise<string> {
  const signal = AbortSignal.timeout(timeoutMs);
  const [key = "", value = ""] = args;
  if (op === "get") return clerk.get(key, { signal });
  if (op === "put") await clerk.put(key, value, { signal });
  else await clerk.append(key, value, { signal });
  return "OK";
}

/** Runs one operation and prints its result; an unreachable cluster fails after `--timeout`. */
export async function runOnce(command: OneShot): Promise<string> {
  const { clerk, close } = connect(command);
  try {
    const args = command.kind === "get" ? [command.key] : [command.key, command.value];
    return await perform(clerk, command.kind, args, command.timeoutMs);
  } finally {
    await close();
  }
}

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
