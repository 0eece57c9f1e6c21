import { readFileSync } from "node:fs";
import { createServer } from "node:net";

/** The lowest port handed out: clear of the well-known and most registered service ports. */
const LOWEST = 10_000;
/** Where the kernel's own range starts when it cannot be read (IANA's, macOS's and Windows'). */
const IANA_EPHEMERAL_START = 49_152;
const ATTEMPTS = 1_000;
/** Ports this process has handed out: two calls never return the same port. */
const handedOut = new Set<number>();

/**
 * `n` TCP ports on 127.0.0.1 that were free a moment ago, for tests and benchmarks that start
 * members as processes, which must be told their peers' ports before any of them listens.
 *
 * The ports are picked at random below the kernel's ephemeral range (Linux:
 * /proc/sys/net/ipv4/ip_local_port_range, 32768 by default), each probed by listening on it: the
 * kernel hands out ephemeral ports to every `listen(0)` and outgoing connection on the machine,
 * so a port probed with `listen(0)` and let go could be taken again by any of those (a test's
 * server, a member of another test run) before the member told about it listens, or while it is
 * down between a kill and a restart; below the range only another caller of a fixed port can.
 */
export async function freePorts(n: number): Promise<number[]> {
  const high = belowEphemeralRange();
  const low = LOWEST;
  const ports: number[] = [];
  for (let attempt = 0; ports.length < n && high - low >= 1_000 && attempt < ATTEMPTS; attempt++) {
    const port = low + Math.floor(Math.random() * (high - low + 1));
    if (handedOut.has(port) || !(await canListen(port))) continue;
    handedOut.add(port);
    ports.push(port);
  }
  // No room below the ephemeral range (an unusual configuration): let the kernel choose.
  while (ports.length < n) ports.push(await kernelChosenPort());
  return ports;
}

/** The highest port below the kernel's ephemeral range. */
function belowEphemeralRange(): number {
  let ephemeralStart = IANA_EPHEMERAL_START;
  try {
    const [start] = readFileSync("/proc/sys/net/ipv4/ip_local_port_range", "utf8").trim().split(/\s+/);
    if (Number(start) > 0) ephemeralStart = Math.min(Number(start), IANA_EPHEMERAL_START);
  } catch {
    // Not Linux: the IANA range is the kernel's.
  }
  return ephemeralStart - 1;
}

function canListen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once("error", () => resolve(false));
    probe.listen(port, "127.0.0.1", () => probe.close(() => resolve(true)));
  });
}

async function kernelChosenPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
  const { port } = probe.address() as { port: number };
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}
