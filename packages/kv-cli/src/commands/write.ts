import { ClusterClient } from "../cluster-client.js";
import type { Common, ValueSource } from "../options.js";
import { readValue } from "../value-source.js";

/** put or append: the value comes from the command line, stdin or a file; prints OK when done. */
export async function write(
  command: Common & { kind: "put" | "append"; key: string; value: ValueSource },
): Promise<void> {
  const value = await readValue(command.value);
  const client = new ClusterClient(command);
  try {
    await client.run((signal) =>
      command.kind === "put"
        ? client.clerk.put(command.key, value, { signal })
        : client.clerk.append(command.key, value, { signal }),
    );
    process.stdout.write("OK\n");
  } finally {
    await client.close();
  }
}
