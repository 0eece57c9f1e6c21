import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { clientUri, memberUri, type TlsOptions } from "../src/index.js";

export interface Pem {
  key: string;
  cert: string;
}

export interface IssueOptions {
  /** SAN URIs to put in the certificate (see memberUri / clientUri). */
  uris?: string[];
  /** Validity in days; -1 makes a certificate that has already expired. */
  days?: number;
}

export interface TestCa {
  ca: Pem;
  issue(cn: string, options?: IssueOptions): Pem;
  /** A certificate for member `id` of `cluster`. */
  member(id: number, cluster?: string, options?: IssueOptions): Pem;
  /** A certificate for client `name` of `cluster`. */
  client(name: string, cluster?: string): Pem;
  /** TLS options presenting `pem` and trusting this CA (plus `crl`, if given). */
  tls(pem: Pem, crl?: string): TlsOptions;
  /** Revokes `pem` and returns the CA's current revocation list (PEM). */
  revoke(pem: Pem): string;
  dispose(): void;
}

const openssl = (dir: string, args: string[]) => execFileSync("openssl", args, { cwd: dir, stdio: "pipe" });

// The minimum `openssl ca` needs to keep a revocation database and sign lists from it.
const CA_CONFIG = `[ca]
default_ca = this
[this]
database = index.txt
crlnumber = crlnumber
default_md = sha256
default_crl_days = 1
`;

/** A throwaway certificate authority with the `openssl` command line; EC P-256 keys, 1-day validity. */
export function makeCa(name: string): TestCa {
  const dir = mkdtempSync(join(tmpdir(), "raftkit-tls-"));
  const ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"];
  openssl(dir, [
    "req",
    "-x509",
    ...ec,
    "-keyout",
    "ca.key",
    "-out",
    "ca.crt",
    "-days",
    "1",
    "-subj",
    `/CN=${name}`,
  ]);
  writeFileSync(join(dir, "ca.cnf"), CA_CONFIG);
  writeFileSync(join(dir, "index.txt"), "");
  writeFileSync(join(dir, "crlnumber"), "01\n");
  const read = (f: string) => readFileSync(join(dir, f), "utf8");
  const ca = { key: read("ca.key"), cert: read("ca.crt") };
  let serial = 0;
  const issue = (cn: string, options: IssueOptions = {}): Pem => {
    const base = `leaf${serial++}`;
    openssl(dir, ["req", ...ec, "-keyout", `${base}.key`, "-out", `${base}.csr`, "-subj", `/CN=${cn}`]);
    const san = options.uris?.length
      ? `subjectAltName=${options.uris.map((u) => `URI:${u}`).join(",")}\n`
      : "";
    writeFileSync(join(dir, `${base}.ext`), `${san}extendedKeyUsage=serverAuth,clientAuth\n`);
    const x509 = [
      "x509",
      "-req",
      "-in",
      `${base}.csr`,
      "-CA",
      "ca.crt",
      "-CAkey",
      "ca.key",
      "-CAcreateserial",
    ];
    openssl(dir, [
      ...x509,
      "-out",
      `${base}.crt`,
      "-days",
      String(options.days ?? 1),
      "-extfile",
      `${base}.ext`,
    ]);
    return { key: read(`${base}.key`), cert: read(`${base}.crt`) };
  };
  return {
    ca,
    issue,
    member: (id, cluster = "test", options = {}) =>
      issue(`member ${id}`, { ...options, uris: [memberUri(cluster, id)] }),
    client: (clientName, cluster = "test") => issue(clientName, { uris: [clientUri(cluster, clientName)] }),
    tls: (pem, crl) => ({ ...pem, ca: ca.cert, ...(crl ? { crl } : {}) }),
    revoke(pem) {
      writeFileSync(join(dir, "revoked.crt"), pem.cert);
      const signer = ["-config", "ca.cnf", "-keyfile", "ca.key", "-cert", "ca.crt"];
      openssl(dir, ["ca", ...signer, "-revoke", "revoked.crt"]);
      openssl(dir, ["ca", ...signer, "-gencrl", "-out", "crl.pem"]);
      return read("crl.pem");
    },
    dispose: () => rmSync(dir, { recursive: true, force: true }),
  };
}
