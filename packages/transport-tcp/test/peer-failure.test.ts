import { type AddressInfo, createServer } from "node:net";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { PeerLinkError, TcpTransport } from "../src/index.js";
import { freePorts } from "../src/testkit/index.js";
import { captureLog, startCluster } from "./helpers.js";
import { cbor, rawFrame } from "./raw-client.js";

// Real sockets on 127.0.0.1: peerFailure(id) names why a peer cannot be reached.

/** A loopback port with nothing listening on it. */
const deadPort = async (): Promise<number> => (await freePorts(1))[0]!;

test("peerFailure names a refused connection, another cluster, another member at the address, and clears on success", async () => {
  const server = captureLog();
  const { nodes, addresses, close } = await startCluster(2, { log: server.log });
  for (const node of nodes) node.listen(() => "ok");
  const quiet = captureLog();
  const nowhere = `127.0.0.1:${await deadPort()}`;
  const client = new TcpTransport({
    cluster: "test",
    self: "client",
    peers: [addresses[0]!, nowhere, addresses[1]!],
    log: quiet.log,
  });
  const stranger = new TcpTransport({ cluster: "other", self: "client", peers: addresses, log: quiet.log });
  // A member whose peers list puts member 0 at member 1's address.
  const confused = new TcpTransport({ cluster: "test", self: 2, peers: [addresses[1]!], log: quiet.log });
  try {
    assert.is(client.peerFailure(0), undefined, "nothing tried yet");
    assert.equal(await client.call(0, "X", 1), { ok: true, reply: "ok" });
    assert.is(client.peerFailure(0), undefined, "a handshake succeeded");

    assert.equal(await client.call(1, "X", 1), { ok: false });
    const refused = client.peerFailure(1);
    assert.instance(refused, PeerLinkError);
    assert.is(refused!.kind, "connection-refused");
    assert.is(refused!.address, nowhere);
    assert.match(refused!.message, `peer 1 at ${nowhere}`);
    assert.is(refused!.refusedBy, undefined, "nobody answered");

    assert.equal(await client.call(2, "X", 1), { ok: false });
    assert.is(client.peerFailure(2)?.kind, "wrong-id");
    assert.match(client.peerFailure(2)!.message, "this is node 1, not node 2");
    assert.is(client.peerFailure(2)!.refusedBy, 1, "the refusal names the member that answered");

    assert.equal(await stranger.call(1, "X", 1), { ok: false });
    assert.is(stranger.peerFailure(1)?.kind, "wrong-cluster");
    assert.match(stranger.peerFailure(1)!.message, 'cluster "other" is not "test"');

    assert.equal(await confused.call(0, "X", 1), { ok: false });
    assert.is(confused.peerFailure(0)?.kind, "wrong-id");
    assert.is(confused.peerFailure(0)!.refusedBy, 1);
    // A member (numeric id) calling another by the wrong id is an error on the refusing side.
    assert.ok(
      server.lines.some(
        (l) => l.level === "error" && /refused "2" \(.*\): this is node 1, not node 0/.test(l.message),
      ),
      JSON.stringify(server.lines),
    );
  } finally {
    await Promise.all([client.close(), stranger.close(), confused.close(), close()]);
  }
});

test("a refusal from a member older than refusedBy is still a wrong-id failure, naming no member", async () => {
  // Such a member answers our hello with a refusal without the field, and hangs up.
  const old = createServer((socket) => {
    socket.on("error", () => {});
    socket.once("data", () =>
      socket.end(rawFrame(cbor({ t: "refuse", reason: "this is node 4, not node 0", code: "id" }))),
    );
  });
  await new Promise<void>((resolve) => old.listen(0, "127.0.0.1", resolve));
  const { port } = old.address() as AddressInfo;
  const quiet = captureLog();
  const client = new TcpTransport({
    cluster: "test",
    self: "client",
    peers: [`127.0.0.1:${port}`],
    log: quiet.log,
  });
  try {
    assert.equal(await client.call(0, "X", 1), { ok: false });
    const failure = client.peerFailure(0);
    assert.is(failure?.kind, "wrong-id", JSON.stringify(quiet.lines));
    assert.is(failure!.refusedBy, undefined);
    assert.match(failure!.detail, "this is node 4, not node 0");
  } finally {
    await client.close();
    await new Promise((resolve) => old.close(resolve));
  }
});

test.run();
