import { ClusterClient } from "../cluster-client.js";
import type { Common } from "../options.js";

/** Removes the key (a key with no value is not an error); prints OK when done. */
export async function remove(command: Common & { key: string }): Promise<void> {
  const client = new ClusterClient(command);
  try {
    await client.run((signal) => client.clerk.delete(command.key, { signal }));
    process.stdout.write("OK\n");
  } finally {
    await client.close();
  }
}
