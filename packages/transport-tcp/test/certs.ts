import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export interface Pem {
  key: string;
  cert: string;
}

const openssl = (dir: string, args: string[]) => execFileSync("openssl", args, { cwd: dir, stdio: "pipe" });

/** A throwaway certificate authority with the `openssl` command line; EC P-256 keys, 1-day validity. */
export function makeCa(name: string): { ca: Pem; issue(cn: string): Pem; dispose(): void } {
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
  const read = (f: string) => readFileSync(join(dir, f), "utf8");
  let serial = 0;
  return {
    ca: { key: read("ca.key"), cert: read("ca.crt") },
    issue(cn: string): Pem {
      const base = `leaf${serial++}`;
      openssl(dir, ["req", ...ec, "-keyout", `${base}.key`, "-out", `${base}.csr`, "-subj", `/CN=${cn}`]);
      writeFileSync(join(dir, `${base}.ext`), "extendedKeyUsage=serverAuth,clientAuth\n");
      openssl(dir, [
        "x509",
        "-req",
        "-in",
        `${base}.csr`,
        "-CA",
        "ca.crt",
        "-CAkey",
        "ca.key",
        "-CAcreateserial",
        "-out",
        `${base}.crt`,
        "-days",
        "1",
        "-extfile",
        `${base}.ext`,
      ]);
      return { key: read(`${base}.key`), cert: read(`${base}.crt`) };
    },
    dispose: () => rmSync(dir, { recursive: true, force: true }),
  };
}
