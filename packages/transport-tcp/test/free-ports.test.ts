import { readFileSync } from "node:fs";
import { createServer, type Server } from "node:net";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { freePorts } from "../src/testkit/index.js";

// freePorts on the real loopback: its ports must be ones the kernel never hands out by itself.
// Before, it probed with listen(0) and let go, so a port it returned was one the kernel could
// give the next listen(0) anywhere on the machine (another test's server, a concurrent test run's
// member) before the member told about it listened, or while it was down for a restart.

const listenOn = (port: number) =>
  new Promise<Server>((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => resolve(server));
  });
const close = (server: Server) => new Promise<void>((resolve) => server.close(() => resolve()));

test("freePorts: distinct ports, each free to listen on, never repeated by a later call", async () => {
  const first = await freePorts(5);
  const second = await freePorts(5);
  const all = [...first, ...second];
  assert.is(new Set(all).size, 10, `${all}`);
  for (const port of all) await close(await listenOn(port));
});

test("freePorts: never a port the kernel hands to listen(0) or an outgoing connection", async () => {
  const [ephemeralStart, ephemeralEnd] =
    process.platform === "linux"
      ? readFileSync("/proc/sys/net/ipv4/ip_local_port_range", "utf8").trim().split(/\s+/).map(Number)
      : [49_152, 65_535];
  const ports = await freePorts(20);
  for (const port of ports)
    assert.ok(
      port < ephemeralStart! || port > ephemeralEnd!,
      `${port} is in ${ephemeralStart}-${ephemeralEnd}`,
    );
  // And what the kernel chose while they were free is never one of them.
  const held = await Promise.all(Array.from({ length: 200 }, () => listenOn(0)));
  try {
    const chosen = new Set(held.map((server) => (server.address() as { port: number }).port));
    assert.ok(!ports.some((port) => chosen.has(port)));
  } finally {
    await Promise.all(held.map(close));
  }
});

test.run();
