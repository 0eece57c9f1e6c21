import { readFile } from "node:fs/promises";
import type { ValueSource } from "./options.js";

/** The value a put or append stores: its argument, all of stdin, or a file's contents (UTF-8). */
export async function readValue(
  source: ValueSource,
  stdin: NodeJS.ReadableStream = process.stdin,
): Promise<string> {
  switch (source.from) {
    case "argument":
      return source.value;
    case "file":
      return readFile(source.path, "utf8");
    case "stdin": {
      const chunks: Buffer[] = [];
      for await (const chunk of stdin) chunks.push(Buffer.from(chunk));
      return Buffer.concat(chunks).toString("utf8");
    }
  }
}
