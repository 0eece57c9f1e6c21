import { ClusterClient } from "../cluster-client.js";
import { KeyNotFoundError } from "../errors.js";
import type { Common } from "../options.js";

/** Prints the key's value; a key with no value is KeyNotFoundError (exit code 3). */
export async function get(command: Common & { key: string }): Promise<void> {
  const client = new ClusterClient(command);
  try {
    const value = await client.run((signal) => client.clerk.lookup(command.key, { signal }));
    if (value === undefined) throw new KeyNotFoundError(command.key);
    process.stdout.write(`${value}\n`);
  } finally {
    await client.close();
  }
}
