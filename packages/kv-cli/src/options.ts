import { parseArgs } from "node:util";
import type { TlsFiles } from "./tls.js";

/** A bad command line: printed with a pointer to --help, exit code 2. */
export class UsageError extends Error {
  override readonly name = "UsageError";
}

export interface Common {
  peers: string[];
  cluster: string;
  timeoutMs: number;
  /** Mutual TLS (all of --tls-cert, --tls-key, --tls-ca), or undefined for plain TCP. */
  tls?: TlsFiles;
}

export type Command =
  | { kind: "help" }
  | ({ kind: "serve"; id: number; data: string; maxRaftState: number; sync: boolean } & Common)
  | ({ kind: "get"; key: string } & Common)
  | ({ kind: "put" | "append"; key: string; value: string } & Common)
  | ({ kind: "shell" } & Common);

export const HELP = `raftkit-kv: a replicated key/value store on raft, over TCP

Usage:
  raftkit-kv serve  --id <n> --peers <host:port,...> --data <dir> [--max-raft-state <bytes>]
  raftkit-kv get    <key>          --peers <host:port,...>
  raftkit-kv put    <key> <value>  --peers <host:port,...>
  raftkit-kv append <key> <value>  --peers <host:port,...>
  raftkit-kv shell                 --peers <host:port,...>

serve runs one member: --id is its position in --peers (counting from 0), where it listens;
its state (write-ahead log and snapshot) lives in --data and survives kill -9 and restarts.
get/put/append run one operation and print the result; shell reads commands interactively.

Options:
  --peers <list>           every member's host:port, in the same order everywhere (required)
  --cluster <name>         cluster name; members refuse connections naming another (default: raftkit)
  --id <n>                 serve: this member's index in --peers
  --data <dir>             serve: directory for durable state (created if missing)
  --max-raft-state <bytes> serve: snapshot when the log grows past this (default: 1048576;
                           "never" never snapshots)
  --no-sync                serve: skip fsync (faster, loses the power-loss guarantee; testing only)
  --timeout <ms>           clients: give up after this long (default: 10000)
  --tls-cert <file>        mutual TLS: this member's or client's certificate (PEM); its SAN URI
                           raftkit://<cluster>/member/<id> or raftkit://<cluster>/client/<name>
                           says which (see the README's TLS guide)
  --tls-key <file>         mutual TLS: the certificate's private key (PEM)
  --tls-ca <file>          mutual TLS: the CA that signs every member's and client's certificate
  --tls-crl <file>         mutual TLS: revoked certificates (PEM CRL; optional)
                           SIGHUP makes a member reload all four files without a restart
  -h, --help               show this help
`;

function wholeNumber(flag: string, text: string | undefined, min: number): number {
  const n = Number(text);
  if (text === undefined || text.trim() === "" || !Number.isInteger(n) || n < min) {
    throw new UsageError(
      `${flag} needs a whole number${min > 0 ? ` of at least ${min}` : ""}, got ${text === undefined ? "nothing" : `"${text}"`}`,
    );
  }
  return n;
}

export function parseCommand(argv: string[]): Command {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(argv);
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const { values: v, positionals } = parsed;
  const [verb, ...rest] = positionals;
  if (v.help || verb === undefined || verb === "help") return { kind: "help" };
  if (!v.peers) throw new UsageError("--peers is required (every member's host:port, comma-separated)");
  const peers = v.peers.split(",").map((p) => p.trim());
  for (const p of peers) {
    if (!/^(\[[^\]]+\]|[^:[\]\s]+):\d{1,5}$/.test(p))
      throw new UsageError(`--peers: "${p}" is not host:port`);
  }
  const common: Common = {
    peers,
    cluster: v.cluster,
    timeoutMs: wholeNumber("--timeout", v.timeout, 1),
    ...tlsFlags(v),
  };
  const args = (names: string[]) => {
    if (rest.length !== names.length) {
      throw new UsageError(
        `${verb} takes ${names.length === 0 ? "no arguments" : names.map((n) => `<${n}>`).join(" ")}`,
      );
    }
    return rest;
  };
  switch (verb) {
    case "serve": {
      args([]);
      const id = wholeNumber("--id", v.id, 0);
      if (id >= peers.length)
        throw new UsageError(`--id ${id} is not an index into --peers (0..${peers.length - 1})`);
      if (!v.data) throw new UsageError("serve needs --data <dir> for its durable state");
      const never = ["-1", "never"].includes(v["max-raft-state"]);
      const maxRaftState = never ? -1 : wholeNumber("--max-raft-state", v["max-raft-state"], 1);
      return { kind: "serve", id, data: v.data, maxRaftState, sync: !v["no-sync"], ...common };
    }
    case "get": {
      const [key] = args(["key"]);
      return { kind: "get", key: key!, ...common };
    }
    case "put":
    case "append": {
      const [key, value] = args(["key", "value"]);
      return { kind: verb, key: key!, value: value!, ...common };
    }
    case "shell":
      args([]);
      return { kind: "shell", ...common };
    default:
      throw new UsageError(`unknown command "${verb}"; expected serve, get, put, append or shell`);
  }
}

function tlsFlags(v: ReturnType<typeof parse>["values"]): { tls?: TlsFiles } {
  const { "tls-cert": cert, "tls-key": key, "tls-ca": ca, "tls-crl": crl } = v;
  if (cert === undefined && key === undefined && ca === undefined && crl === undefined) return {};
  if (cert === undefined || key === undefined || ca === undefined) {
    throw new UsageError("TLS needs all of --tls-cert, --tls-key and --tls-ca (and optionally --tls-crl)");
  }
  return { tls: { cert, key, ca, ...(crl === undefined ? {} : { crl }) } };
}

function parse(argv: string[]) {
  return parseArgs({
    args: argv,
    strict: true,
    allowPositionals: true,
    options: {
      peers: { type: "string" },
      cluster: { type: "string", default: "raftkit" },
      id: { type: "string" },
      data: { type: "string" },
      "max-raft-state": { type: "string", default: "1048576" },
      "no-sync": { type: "boolean", default: false },
      timeout: { type: "string", default: "10000" },
      "tls-cert": { type: "string" },
      "tls-key": { type: "string" },
      "tls-ca": { type: "string" },
      "tls-crl": { type: "string" },
      help: { type: "boolean", short: "h", default: false },
    },
  });
}
