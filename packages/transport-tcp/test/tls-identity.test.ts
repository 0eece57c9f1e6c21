import { test } from "uvu";
import * as assert from "uvu/assert";
import { TcpTransport, type TcpTransportOptions } from "../src/index.js";
import { makeCa, type Pem } from "./certs.js";
import { captureLog, eventually, type LogLine, startCluster } from "./helpers.js";

const ca = makeCa("raftkit identity test");
const members = [0, 1, 2].map((id) => ca.member(id));

/** Two members (0 and 1) logging into `server`, and a caller built from `options` logging into `caller`. */
async function setup(options: (addresses: string[]) => Partial<TcpTransportOptions>) {
  const server = captureLog();
  const cluster = await startCluster(2, (id) => ({
    tls: ca.tls(members[id]!),
    log: server.log,
    clientMethods: ["Get"],
  }));
  let served = 0;
  cluster.nodes[1]!.listen((method) => {
    served++;
    return method;
  });
  const caller = captureLog();
  const transport = new TcpTransport({
    cluster: "test",
    self: 0,
    peers: cluster.addresses,
    log: caller.log,
    ...options(cluster.addresses),
  });
  return {
    ...cluster,
    transport,
    server: server.lines,
    caller: caller.lines,
    served: () => served,
    close: () => Promise.all([transport.close(), cluster.close()]),
  };
}

const has = (lines: LogLine[], level: string, pattern: RegExp) =>
  lines.some((l) => l.level === level && pattern.test(l.message));

async function expectLogged(lines: LogLine[], level: string, pattern: RegExp, side: string) {
  await eventually(
    () => has(lines, level, pattern),
    3000,
    `${side} logs ${pattern}: ${JSON.stringify(lines)}`,
  );
}

/**
 * Both sides log the refusal: the member names who it refused (`who`: `"2"`, an unidentified
 * caller, ...) and why; the caller says that peer 1 refused it, and why.
 */
async function expectRefusalLogged(s: { server: LogLine[]; caller: LogLine[] }, who: string, reason: RegExp) {
  const server = new RegExp(`refused ${who} \\(127\\.0\\.0\\.1:\\d+\\): ${reason.source}`);
  await expectLogged(s.server, "warn", server, "server");
  const caller = new RegExp(`peer 1 at 127\\.0\\.0\\.1:\\d+ refused us: ${reason.source}`);
  await expectLogged(s.caller, "error", caller, "caller");
}

test("identity: a member claiming an id its certificate does not name is refused; both sides log it", async () => {
  const s = await setup(() => ({ self: 2, tls: ca.tls(members[0]!) }));
  try {
    assert.equal(await s.transport.call(1, "AppendEntries", {}), { ok: false });
    const reason = /the caller claims to be member 2 but presented a certificate for member 0/;
    await expectRefusalLogged(s, '"2"', reason);
    assert.is(s.served(), 0);
  } finally {
    await s.close();
  }
});

test("identity: the caller checks the server's certificate names the member it called", async () => {
  // Member 1's address actually leads to member 0 (a stale or hijacked address).
  const s = await setup((addresses) => ({
    self: 2,
    tls: ca.tls(members[2]!),
    peers: [addresses[0]!, addresses[0]!],
  }));
  try {
    assert.equal(await s.transport.call(1, "AppendEntries", {}), { ok: false });
    const reason =
      /we called member 1 but it presented a certificate for member 0 \(expected raftkit:\/\/test\/member\/1\)/;
    await expectLogged(
      s.caller,
      "error",
      new RegExp(`refused peer 1 at 127\\.0\\.0\\.1:\\d+: ${reason.source}`),
      "caller",
    );
    await expectLogged(
      s.server,
      "warn",
      new RegExp(`127\\.0\\.0\\.1:\\d+ refused us: ${reason.source}`),
      "server",
    );
    assert.is(s.served(), 0);
  } finally {
    await s.close();
  }
});

test("identity: a certificate naming no raftkit identity is refused at the handshake", async () => {
  const s = await setup(() => ({ self: 0, tls: ca.tls(ca.issue("no san")) }));
  try {
    assert.equal(await s.transport.call(1, "Get", {}), { ok: false });
    const reason =
      /the caller presented a certificate naming no raftkit identity for cluster "test" \(expected a SAN URI raftkit:\/\/test\/member\/<id> or raftkit:\/\/test\/client\/<name>\)/;
    await expectLogged(s.server, "warn", reason, "server");
    await expectLogged(s.caller, "error", new RegExp(`refused us: ${reason.source}`), "caller");
  } finally {
    await s.close();
  }
});

test("roles: a client certificate may call client methods but never AppendEntries", async () => {
  const client: Pem = ca.client("app");
  const s = await setup(() => ({ self: "app", tls: ca.tls(client) }));
  try {
    assert.equal(await s.transport.call(1, "Get", {}), { ok: true, reply: "Get" });
    assert.equal(await s.transport.call(1, "AppendEntries", { term: 99 }), { ok: false });
    const reason = /a client certificate may not call "AppendEntries"/;
    await expectRefusalLogged(s, '"app"', reason);
    assert.is(s.served(), 1, "only the Get reached the handler");
  } finally {
    await s.close();
  }
});

test("roles: a client certificate claiming a member id is refused at the handshake", async () => {
  const s = await setup(() => ({ self: 0, tls: ca.tls(ca.client("app")) }));
  try {
    assert.equal(await s.transport.call(1, "AppendEntries", {}), { ok: false });
    const reason = /the caller claims to be member 0 but presented a certificate for client "app"/;
    await expectLogged(s.server, "warn", reason, "server");
    await expectLogged(s.caller, "error", reason, "caller");
    assert.is(s.served(), 0);
  } finally {
    await s.close();
  }
});

test("identity: a member certificate of another cluster under the same CA is refused", async () => {
  const s = await setup(() => ({ self: 0, tls: ca.tls(ca.member(0, "other")) }));
  try {
    assert.equal(await s.transport.call(1, "AppendEntries", {}), { ok: false });
    await expectLogged(s.server, "warn", /naming no raftkit identity for cluster "test"/, "server");
    await expectLogged(s.caller, "error", /refused us: .*naming no raftkit identity/, "caller");
  } finally {
    await s.close();
  }
});

test("expiry: an expired member certificate is refused by the TLS handshake; both sides log it", async () => {
  const s = await setup(() => ({ self: 0, tls: ca.tls(ca.member(0, "test", { days: -1 })) }));
  try {
    assert.equal(await s.transport.call(1, "AppendEntries", {}), { ok: false });
    const reason = /the caller's certificate has expired \(CERT_HAS_EXPIRED\)/;
    await expectRefusalLogged(s, "an unidentified caller", reason);
    assert.is(s.served(), 0);
  } finally {
    await s.close();
  }
});

test("expiry: a member serving an expired certificate is refused by its caller", async () => {
  const server = captureLog();
  const expired = new TcpTransport({
    cluster: "test",
    self: 1,
    listen: "127.0.0.1:0",
    tls: ca.tls(ca.member(1, "test", { days: -1 })),
    log: server.log,
  });
  const bound = await expired.start();
  const caller = captureLog();
  const t = new TcpTransport({
    cluster: "test",
    self: 0,
    peers: ["127.0.0.1:1", `127.0.0.1:${bound!.port}`],
    tls: ca.tls(members[0]!),
    log: caller.log,
  });
  try {
    assert.equal(await t.call(1, "AppendEntries", {}), { ok: false });
    const reason = /we called member 1 but the member's certificate has expired \(CERT_HAS_EXPIRED\)/;
    await expectLogged(
      caller.lines,
      "error",
      new RegExp(`refused peer 1 at 127\\.0\\.0\\.1:\\d+: ${reason.source}`),
      "caller",
    );
    await expectLogged(
      server.lines,
      "warn",
      new RegExp(`127\\.0\\.0\\.1:\\d+ refused us: ${reason.source}`),
      "server",
    );
  } finally {
    await Promise.all([t.close(), expired.close()]);
  }
});

test("identity: the handler learns who called: the member id its certificate proved, or the client's name", async () => {
  const { nodes, addresses, close } = await startCluster(2, (id) => ({
    tls: ca.tls(members[id]!),
    clientMethods: ["Who"],
  }));
  nodes[1]!.listen((_method, _args, caller) => caller);
  const client = new TcpTransport({
    cluster: "test",
    self: "app",
    peers: addresses,
    tls: ca.tls(ca.client("app")),
  });
  try {
    assert.equal(await nodes[0]!.call(1, "Who", null), { ok: true, reply: { role: "member", id: 0 } });
    assert.equal(await client.call(1, "Who", null), { ok: true, reply: { role: "client", name: "app" } });
  } finally {
    await Promise.all([client.close(), close()]);
  }
});

test.after(() => ca.dispose());

test.run();
