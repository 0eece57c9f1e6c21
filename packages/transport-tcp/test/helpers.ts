import type { Logger, LogLevel, TcpTransportOptions } from "../src/index.js";
import { TcpTransport } from "../src/index.js";

export interface LogLine {
  level: LogLevel;
  message: string;
}

/** A logger that keeps what it is told, for assertions. */
export function captureLog(): { log: Logger; lines: LogLine[] } {
  const lines: LogLine[] = [];
  return { log: (level, message) => lines.push({ level, message }), lines };
}

/** n members on 127.0.0.1 with ephemeral ports, each knowing the others' addresses. */
export async function startCluster(
  n: number,
  extra: Partial<TcpTransportOptions> | ((self: number) => Partial<TcpTransportOptions>) = {},
): Promise<{ nodes: TcpTransport[]; addresses: string[]; close(): Promise<void> }> {
  const nodes = Array.from(
    { length: n },
    (_, self) =>
      new TcpTransport({
        cluster: "test",
        self,
        listen: "127.0.0.1:0",
        ...(typeof extra === "function" ? extra(self) : extra),
      }),
  );
  const addresses: string[] = [];
  for (const node of nodes) {
    const bound = await node.start();
    addresses.push(`127.0.0.1:${bound!.port}`);
  }
  for (const node of nodes) for (const [id, address] of addresses.entries()) node.setPeer(id, address);
  return { nodes, addresses, close: async () => void (await Promise.all(nodes.map((t) => t.close()))) };
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Polls `check` every 10 ms until it holds, failing after `withinMs`. */
export async function eventually(check: () => boolean | Promise<boolean>, withinMs: number, what: string) {
  const deadline = performance.now() + withinMs;
  while (!(await check())) {
    if (performance.now() > deadline) throw new Error(`not within ${withinMs} ms: ${what}`);
    await sleep(10);
  }
}
