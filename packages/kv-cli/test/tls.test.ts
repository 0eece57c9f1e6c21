import { test } from "uvu";
import * as assert from "uvu/assert";
import { parseCommand } from "../src/options.js";
import { isLoopback, plaintextWarning, readTls } from "../src/tls.js";

test("a member on a non-loopback address without TLS gets a loud warning; on loopback or with TLS none", () => {
  for (const host of ["0.0.0.0", "10.1.2.3", "::", "example.org"]) {
    assert.match(
      String(plaintextWarning(host, undefined)),
      /WARNING: serving the member port WITHOUT TLS on .*Anyone who can reach this port can read and write every key and vote/s,
    );
  }
  for (const host of ["127.0.0.1", "127.0.0.2", "::1", "localhost"]) assert.ok(isLoopback(host), host);
  assert.is(plaintextWarning("127.0.0.1", undefined), undefined);
  assert.match(
    String(plaintextWarning("0.0.0.0", undefined, "the HTTP API")),
    /serving the HTTP API WITHOUT TLS on 0\.0\.0\.0/,
  );
  assert.is(plaintextWarning("0.0.0.0", { cert: "c", key: "k", ca: "a" }), undefined);
});

test("TLS flags: all three or none; --tls-crl is optional", () => {
  const base = ["get", "k", "--peers", "127.0.0.1:7001"];
  assert.is(parseCommand(base).kind, "get");
  const tls = ["--tls-cert", "c.crt", "--tls-key", "c.key", "--tls-ca", "ca.crt"];
  const parsed = parseCommand([...base, ...tls, "--tls-crl", "crl.pem"]);
  assert.equal("tls" in parsed && parsed.tls, { cert: "c.crt", key: "c.key", ca: "ca.crt", crl: "crl.pem" });
  assert.throws(
    () => parseCommand([...base, "--tls-cert", "c.crt"]),
    /TLS needs all of --tls-cert, --tls-key and --tls-ca/,
  );
});

test("TLS files: a missing file is named with its flag", () => {
  assert.throws(
    () => readTls({ cert: "/nonexistent/c.crt", key: "k", ca: "a" }),
    (error: Error) =>
      error.name === "TlsFileError" && /--tls-cert \/nonexistent\/c\.crt: ENOENT/.test(error.message),
  );
});

test.run();
