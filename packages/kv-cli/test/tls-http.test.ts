import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { request } from "node:https";
import { join } from "node:path";
import { freePorts } from "@raftkit/transport-tcp/testkit";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { ProcessCluster } from "./helpers/process-cluster.js";
import { guideCertificates } from "./helpers/tls-guide.js";

// Real processes and sockets on 127.0.0.1: with the TLS flags, the HTTP API is HTTPS and wants a
// client certificate naming a raftkit identity, like the member port.

interface Answer {
  status: number;
  body: string;
}

function https(
  port: number,
  method: string,
  path: string,
  tls: { cert?: string; key?: string; ca: string },
  body?: string,
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: "127.0.0.1",
        port,
        method,
        path,
        ...tls,
        checkServerIdentity: () => undefined,
        timeout: 20_000,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString() }));
      },
    );
    req.on("error", reject);
    req.on("timeout", () => req.destroy(new Error("no answer within 20 s")));
    req.end(body);
  });
}

test("TLS: the HTTP API serves HTTPS to a client certificate; no certificate, or one naming no identity, is refused", async () => {
  const made = guideCertificates();
  const [http, ...ports] = await freePorts(4);
  const peers = ports.map((port) => `127.0.0.1:${port}`);
  const cluster = new ProcessCluster(
    peers,
    (i) => join(made.root, `data-${i}`),
    (i) => [...made.flags(`member-${i}`), ...(i === 0 ? ["--http", `127.0.0.1:${http}`] : [])],
  );
  const ca = made.read("ca.crt");
  const client = { cert: made.read("client.crt"), key: made.read("client.key"), ca };
  try {
    for (let i = 0; i < 3; i++) cluster.start(i);
    await cluster.leader(20_000);
    // Member 0 announces its HTTPS listener; a leader can be elected before that line is written.
    await cluster.logged(0, `on https://127.0.0.1:${http}`);
    const put = await https(http!, "PUT", "/v1/keys/greeting", client, "hello");
    assert.equal(put, { status: 200, body: '{"ok":true}\n' });
    const get = await https(http!, "GET", "/v1/keys/greeting", client);
    assert.equal(JSON.parse(get.body), { key: "greeting", value: "hello" });
    // The README's curl line, as written (curl checks the member's certificate names 127.0.0.1).
    const curl = /^curl -s --cert .*$/m.exec(
      readFileSync(new URL("../README.md", import.meta.url), "utf8"),
    )?.[0];
    assert.ok(curl, "the README has the HTTPS curl example");
    const printed = execFileSync("bash", ["-e", "-c", curl!], {
      cwd: made.root,
      env: { ...process.env, HTTPS: `https://127.0.0.1:${http}` },
      encoding: "utf8",
      timeout: 20_000,
    });
    assert.is(printed, '{"key":"greeting","value":"hello"}\n');

    // No client certificate: the TLS handshake fails, and the member says so.
    const anonymous = await https(http!, "GET", "/v1/keys/greeting", { ca }).then(
      (a) => `answered ${a.status}`,
      (error: Error) => error.message,
    );
    assert.not.match(anonymous, /^answered/);
    // A certificate from the CA that names no raftkit identity: 403, and the member says so.
    made.openssl(
      'openssl req $EC -keyout plain.key -out plain.csr -subj "/CN=no identity"\n' +
        "openssl x509 -req -in plain.csr -CA ca.crt -CAkey ca.key -CAcreateserial -days 1 -out plain.crt",
    );
    const plain = { cert: made.read("plain.crt"), key: made.read("plain.key"), ca };
    const refused = await https(http!, "GET", "/v1/keys/greeting", plain);
    assert.is(refused.status, 403);
    assert.match(refused.body, /names no raftkit identity for cluster \\"raftkit\\"/);
    const deadline = performance.now() + 5000;
    const logged = (pattern: RegExp) => cluster.logOf(0).some((l) => pattern.test(l));
    while (
      !(
        logged(/HTTP API: TLS handshake refused/) &&
        logged(/HTTP API: refused a certificate naming no raftkit identity/)
      )
    ) {
      if (performance.now() > deadline)
        assert.unreachable(`member 0 logs both refusals: ${cluster.logOf(0).join("\n")}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  } finally {
    await cluster.stopAll();
    made.dispose();
  }
});

test.run();
