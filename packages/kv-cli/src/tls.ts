import { readFileSync } from "node:fs";
import { isIP } from "node:net";
import type { TlsOptions } from "@raftkit/transport-tcp";

/** The PEM files named by --tls-cert, --tls-key, --tls-ca and --tls-crl. */
export interface TlsFiles {
  cert: string;
  key: string;
  ca: string;
  crl?: string;
}

/** A TLS file that cannot be read: exit code 1 with the file and the flag named. */
export class TlsFileError extends Error {
  override readonly name = "TlsFileError";
}

function read(flag: string, path: string): string {
  try {
    return readFileSync(path, "utf8");
  } catch (error) {
    throw new TlsFileError(`${flag} ${path}: ${(error as Error).message}`);
  }
}

/** Reads the files; called at start-up and again on every SIGHUP (rotation). */
export function readTls(files: TlsFiles): TlsOptions {
  return {
    cert: read("--tls-cert", files.cert),
    key: read("--tls-key", files.key),
    ca: read("--tls-ca", files.ca),
    ...(files.crl === undefined ? {} : { crl: read("--tls-crl", files.crl) }),
  };
}

/** Whether a member bound to `host` can be reached only from this machine. */
export function isLoopback(host: string): boolean {
  if (host === "localhost") return true;
  if (isIP(host) === 4) return host.startsWith("127.");
  return host === "::1" || host.startsWith("::ffff:127.");
}

/**
 * The start-up warning of a member serving without TLS on an address others can reach, or
 * undefined. Loud on purpose: without TLS, anyone who can reach the port can read, write and vote.
 */
export function plaintextWarning(
  host: string,
  tls: TlsFiles | undefined,
  what = "the member port",
): string | undefined {
  if (tls || isLoopback(host)) return undefined;
  const bar = "!".repeat(78);
  return [
    bar,
    `WARNING: serving ${what} WITHOUT TLS on ${host}, an address other machines can reach.`,
    `Anyone who can reach this port can read and write every key${what === "the member port" ? " and vote in elections" : ""}.`,
    "Give --tls-cert, --tls-key and --tls-ca (see the README's TLS guide), or bind to 127.0.0.1.",
    bar,
  ].join("\n");
}
