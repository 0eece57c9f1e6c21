import { createServer } from "node:net";

/** `n` TCP ports on 127.0.0.1 that were free a moment ago (each probed by listening on port 0). */
export async function freePorts(n: number): Promise<number[]> {
  const ports: number[] = [];
  for (let i = 0; i < n; i++) {
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
    ports.push((probe.address() as { port: number }).port);
    await new Promise<void>((resolve) => probe.close(() => resolve()));
  }
  return ports;
}
