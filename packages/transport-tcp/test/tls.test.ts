import { connect } from "node:tls";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { TcpTransport } from "../src/index.js";
import { makeCa } from "./certs.js";
import { captureLog, startCluster } from "./helpers.js";
import { hello } from "./raw-client.js";

const cluster = makeCa("raftkit test cluster");
const rogue = makeCa("someone else");
const nodeCert = cluster.issue("node");
const tlsFor = (pem: { key: string; cert: string }, ca = cluster.ca.cert) => ({ ...pem, ca });

test("mutual TLS: members with certificates from the cluster CA talk", async () => {
  const { nodes, close } = await startCluster(3, { tls: tlsFor(nodeCert) });
  for (const [id, node] of nodes.entries()) node.listen(() => `node ${id}`);
  try {
    for (const [from, to] of [
      [0, 1],
      [1, 2],
      [2, 0],
    ] as const) {
      assert.equal(await nodes[from]!.call(to, "Who", null), { ok: true, reply: `node ${to}` });
    }
  } finally {
    await close();
  }
});

test("mutual TLS: a client with no certificate, or one from another CA, cannot send a request", async () => {
  const server = captureLog();
  const { nodes, addresses, close } = await startCluster(2, { tls: tlsFor(nodeCert), log: server.log });
  let served = 0;
  nodes[1]!.listen(() => {
    served++;
    return "ok";
  });
  const quiet = captureLog();
  const impostor = new TcpTransport({
    cluster: "test",
    self: "impostor",
    peers: addresses,
    tls: tlsFor(rogue.issue("impostor"), cluster.ca.cert),
    log: quiet.log,
  });
  try {
    assert.equal(await impostor.call(1, "X", 1), { ok: false });
    // No certificate at all: the handshake fails, and a hello written anyway never gets answered.
    const port = Number(addresses[1]!.split(":")[1]);
    const socket = connect({
      host: "127.0.0.1",
      port,
      ca: cluster.ca.cert,
      checkServerIdentity: () => undefined,
    });
    socket.on("error", () => {});
    socket.write(hello(1));
    await new Promise<void>((resolve) => socket.once("close", () => resolve()));
    assert.is(served, 0);
    assert.ok(
      server.lines.some((l) => /TLS handshake refused/.test(l.message)),
      JSON.stringify(server.lines),
    );
    assert.equal(await nodes[0]!.call(1, "X", 1), { ok: true, reply: "ok" });
    assert.is(served, 1);
  } finally {
    await Promise.all([impostor.close(), close()]);
  }
});

test.after(() => {
  cluster.dispose();
  rogue.dispose();
});

test.run();
