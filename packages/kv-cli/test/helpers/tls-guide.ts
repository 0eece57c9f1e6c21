import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const readme = readFileSync(new URL("../../README.md", import.meta.url), "utf8");

/** The README's TLS guide: the first sh block under "Security: mutual TLS". */
export const guide = /## Security: mutual TLS[\s\S]*?```sh\n([\s\S]*?)```/.exec(readme)?.[1];

/** Runs the guide's openssl commands in a fresh directory; the certificates land in `certs/`. */
export function guideCertificates() {
  if (!guide) throw new Error("the README has no TLS guide sh block");
  const root = mkdtempSync(join(tmpdir(), "raftkit-tls-guide-"));
  execFileSync("bash", ["-e", "-c", guide], { cwd: root, stdio: "pipe" });
  const certs = join(root, "certs");
  return {
    root,
    certs,
    /** The --tls-* flags for the certificate `name` (member-0, client, ...). */
    flags: (name: string) => [
      "--tls-cert",
      join(certs, `${name}.crt`),
      "--tls-key",
      join(certs, `${name}.key`),
      "--tls-ca",
      join(certs, "ca.crt"),
    ],
    read: (file: string) => readFileSync(join(certs, file), "utf8"),
    /** Runs shell commands in `certs/`, with $EC as in the guide. */
    openssl: (script: string) =>
      execFileSync(
        "bash",
        ["-e", "-c", `EC="-newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes"\n${script}`],
        {
          cwd: certs,
          stdio: "pipe",
        },
      ),
    dispose: () => rmSync(root, { recursive: true, force: true }),
  };
}
