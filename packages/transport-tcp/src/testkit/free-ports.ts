import { createServer } from "node:net";

/**
 * `n` TCP ports on 127.0.0.1 that were free a moment ago (each probed by listening on port 0 and
 * letting go): for tests and benchmarks that start members as processes, which must be told their
 * peers' ports before any of them listens. Another process may take a port in between; callers
 * that cannot retry should listen on port 0 themselves instead.
 */
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
