import { createInterface } from "node:readline/promises";
import { ClusterClient } from "../cluster-client.js";
import { KvCliError } from "../errors.js";
import type { Common } from "../options.js";

const SHELL_HELP =
  "commands: get <key> | put <key> <value> | append <key> <value> | delete <key> | help | quit";
const ARITY: Readonly<Record<string, number>> = { get: 1, delete: 1, put: 2, append: 2 };

/**
 * Reads commands until end of input or `quit`, printing each result (errors on stderr). On a
 * terminal it prompts with "kv> ". Resolves false if any command failed, for a non-zero exit.
 */
export async function shell(command: Common): Promise<boolean> {
  const client = new ClusterClient(command);
  const terminal = process.stdin.isTTY === true;
  const rl = createInterface({ input: process.stdin, output: process.stdout, terminal });
  const out = (line: string) => process.stdout.write(`${line}\n`);
  const fail = (message: string) => {
    failures++;
    process.stderr.write(`error: ${message}\n`);
  };
  let failures = 0;
  if (terminal) {
    out(`connected to ${command.peers.join(", ")}; ${SHELL_HELP}`);
    rl.setPrompt("kv> ");
    rl.prompt();
  }
  try {
    for await (const line of rl) {
      const [verb, ...args] = line.trim().split(/\s+/).filter(Boolean);
      if (verb === "quit" || verb === "exit") break;
      if (verb === "help") out(SHELL_HELP);
      else if (verb !== undefined) {
        const arity = ARITY[verb];
        if (arity === undefined) fail(`unknown command "${verb}"; ${SHELL_HELP}`);
        else if (args.length < arity) fail(`${verb} needs ${arity === 1 ? "<key>" : "<key> <value>"}`);
        else {
          // A value may contain spaces: everything after the key is the value.
          const afterVerb = line.trim().slice(verb.length).trimStart();
          const value = afterVerb.slice(args[0]!.length).trimStart();
          try {
            out(await perform(client, verb, args[0]!, value));
          } catch (error) {
            if (!(error instanceof Error)) throw error;
            fail(error.message);
          }
        }
      }
      if (terminal) rl.prompt();
    }
  } finally {
    rl.close();
    await client.close();
  }
  return failures === 0;
}

async function perform(client: ClusterClient, verb: string, key: string, value: string): Promise<string> {
  const { clerk } = client;
  return client.run(async (signal) => {
    switch (verb) {
      case "get": {
        const found = await clerk.lookup(key, { signal });
        return found ?? "(no such key)";
      }
      case "delete":
        await clerk.delete(key, { signal });
        return "OK";
      case "put":
        await clerk.put(key, value, { signal });
        return "OK";
      case "append":
        await clerk.append(key, value, { signal });
        return "OK";
      default:
        throw new KvCliError(`unknown command "${verb}"`);
    }
  });
}
