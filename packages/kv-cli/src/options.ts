import { parseArgs } from "node:util";
import type { KvRaftServerOptions } from "@raftkit/kvraft";
import { COMMAND_HELP } from "./help.js";
import type { TlsFiles } from "./tls.js";

/** A bad command line: printed with a pointer to --help, exit code 2. */
export class UsageError extends Error {
  override readonly name = "UsageError";
  readonly code = "ERR_RAFTKIT_KV_USAGE";
}

/** What every command that talks to the cluster needs. */
export interface Common {
  peers: string[];
  cluster: string;
  timeoutMs: number;
  maxMessageBytes: number;
  /** Mutual TLS (all of --tls-cert, --tls-key, --tls-ca), or undefined for plain TCP. */
  tls?: TlsFiles;
}

/** Where a put or append takes its value from: the command line, stdin, or a file. */
export type ValueSource =
  | { from: "argument"; value: string }
  | { from: "stdin" }
  | { from: "file"; path: string };

export interface ServeOptions extends Common {
  kind: "serve";
  id: number;
  /** A new member joining a running cluster (a new id, past --peers), not one of its founders. */
  join: boolean;
  data: string;
  maxRaftState: number;
  sync: boolean;
  /** Where to bind, when not the advertised address in `peers[id]`. */
  listen: string | undefined;
  /** Where the HTTP API, metrics and health check listen; none when undefined. */
  http: string | undefined;
  reads: NonNullable<KvRaftServerOptions["reads"]>;
  requestTimeoutMs: number;
  heartbeatMs: number;
  electionTimeoutMs: { min: number; max: number };
  logLevel: "debug" | "info" | "warn" | "error";
  logFormat: "pretty" | "json" | undefined;
}

export type Command =
  | { kind: "help"; topic: string | undefined }
  | { kind: "version" }
  | ServeOptions
  | ({ kind: "get" | "delete"; key: string } & Common)
  | ({ kind: "put" | "append"; key: string; value: ValueSource } & Common)
  | ({ kind: "status"; json: boolean } & Common)
  | ({ kind: "shell" } & Common)
  | MemberCommand;

/** `raftkit-kv member list | add <id> <host:port> | promote <id> | remove <id>`. */
export type MemberCommand = Common & { kind: "member"; json: boolean } & (
    | { action: "list" }
    | { action: "add"; id: number; address: string; learner: boolean }
    | { action: "promote" | "remove"; id: number }
  );

const ADDRESS = /^(\[[^\]]+\]|[^:[\]\s]+):\d{1,5}$/;

function wholeNumber(flag: string, text: string | undefined, min: number): number {
  const n = Number(text);
  if (text === undefined || text.trim() === "" || !Number.isInteger(n) || n < min) {
    throw new UsageError(
      `${flag} needs a whole number${min > 0 ? ` of at least ${min}` : ""}, got ${text === undefined ? "nothing" : `"${text}"`}`,
    );
  }
  return n;
}

function oneOf<T extends string>(flag: string, text: string, allowed: readonly T[]): T {
  if (!(allowed as readonly string[]).includes(text))
    throw new UsageError(`${flag} must be one of ${allowed.join(", ")}, got "${text}"`);
  return text as T;
}

function address(flag: string, text: string): string {
  if (!ADDRESS.test(text)) throw new UsageError(`${flag}: "${text}" is not host:port`);
  return text;
}

type Values = ReturnType<typeof parse>["values"];

export function parseCommand(argv: string[]): Command {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(argv);
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const { values: v, positionals } = parsed;
  const [verb, ...rest] = positionals;
  if (v.version) return { kind: "version" };
  if (verb === "help") return { kind: "help", topic: rest[0] };
  if (v.help || verb === undefined) return { kind: "help", topic: verb };
  if (!(verb in COMMAND_HELP)) {
    throw new UsageError(
      `unknown command "${verb}"; expected one of ${Object.keys(COMMAND_HELP).join(", ")}`,
    );
  }
  const common = commonOptions(v);
  const args = (names: string[], optional = 0) => {
    if (rest.length > names.length || rest.length < names.length - optional) {
      const shown = names.map((n, i) => (i >= names.length - optional ? `[<${n}>]` : `<${n}>`));
      throw new UsageError(`${verb} takes ${names.length === 0 ? "no arguments" : shown.join(" ")}`);
    }
    return rest;
  };
  if (verb !== "put" && verb !== "append" && v.file !== undefined)
    throw new UsageError("--file is for put and append");
  switch (verb) {
    case "serve":
      args([]);
      return serveOptions(v, common);
    case "get":
    case "delete":
      return { kind: verb, key: args(["key"])[0]!, ...common };
    case "put":
    case "append": {
      const [key, value] = args(["key", "value"], 1);
      return { kind: verb, key: key!, value: valueSource(v.file, value), ...common };
    }
    case "status":
      args([]);
      return { kind: "status", json: v.json, ...common };
    case "member":
      return memberCommand(rest, v, common);
    default:
      args([]);
      return { kind: "shell", ...common };
  }
}

function commonOptions(v: Values): Common {
  if (!v.peers) throw new UsageError("--peers is required (every member's host:port, comma-separated)");
  return {
    peers: v.peers.split(",").map((p) => address("--peers", p.trim())),
    cluster: v.cluster,
    timeoutMs: wholeNumber("--timeout", v.timeout, 1),
    maxMessageBytes: wholeNumber("--max-message-bytes", v["max-message-bytes"], 1024),
    ...tlsFlags(v),
  };
}

function tlsFlags(v: Values): { tls?: TlsFiles } {
  const { "tls-cert": cert, "tls-key": key, "tls-ca": ca, "tls-crl": crl } = v;
  if (cert === undefined && key === undefined && ca === undefined && crl === undefined) return {};
  if (cert === undefined || key === undefined || ca === undefined) {
    throw new UsageError("TLS needs all of --tls-cert, --tls-key and --tls-ca (and optionally --tls-crl)");
  }
  return { tls: { cert, key, ca, ...(crl === undefined ? {} : { crl }) } };
}

function valueSource(file: string | undefined, value: string | undefined): ValueSource {
  if (file !== undefined && value !== undefined)
    throw new UsageError("give the value once: as an argument, as - (stdin) or with --file");
  if (file !== undefined) return { from: "file", path: file };
  if (value === undefined)
    throw new UsageError("the value is missing: give it, or - for stdin, or --file <path>");
  return value === "-" ? { from: "stdin" } : { from: "argument", value };
}

const MEMBER_ACTIONS = ["list", "add", "promote", "remove"] as const;

function memberCommand(rest: string[], v: Values, common: Common): MemberCommand {
  const [action, ...operands] = rest;
  if (action === undefined) throw new UsageError(`member needs an action: ${MEMBER_ACTIONS.join(", ")}`);
  const act = oneOf("member", action, MEMBER_ACTIONS);
  const expect = (names: string[]) => {
    if (operands.length !== names.length)
      throw new UsageError(
        `member ${act} takes ${names.length === 0 ? "no arguments" : names.map((n) => `<${n}>`).join(" ")}`,
      );
  };
  if (act !== "add" && v.learner) throw new UsageError("--learner is for member add");
  const base = { kind: "member" as const, json: v.json, ...common };
  if (act === "list") {
    expect([]);
    return { ...base, action: act };
  }
  if (act === "add") {
    expect(["id", "host:port"]);
    const id = wholeNumber("member add <id>", operands[0], 0);
    return {
      ...base,
      action: act,
      id,
      address: address("member add <host:port>", operands[1]!),
      learner: v.learner,
    };
  }
  expect(["id"]);
  return { ...base, action: act, id: wholeNumber(`member ${act} <id>`, operands[0], 0) };
}

function serveOptions(v: Values, common: Common): ServeOptions {
  const id = wholeNumber("--id", v.id, 0);
  if (!v.join && id >= common.peers.length)
    throw new UsageError(
      `--id ${id} is not an index into --peers (0..${common.peers.length - 1}); a new member joining the cluster takes --join`,
    );
  if (v.join && id < common.peers.length)
    throw new UsageError(
      `--join needs a new member id: ${id} is a founder's (0..${common.peers.length - 1}); ids are never reused, pick ${common.peers.length} or above`,
    );
  if (v.join && v.listen === undefined)
    throw new UsageError("--join needs --listen <host:port>: the address you give to raftkit-kv member add");
  if (!v.data) throw new UsageError("serve needs --data <dir> for its durable state");
  const never = ["-1", "never"].includes(v["max-raft-state"]);
  const range = /^(\d+)-(\d+)$/.exec(v["election-timeout"]);
  const heartbeatMs = wholeNumber("--heartbeat", v.heartbeat, 1);
  const electionTimeoutMs = { min: Number(range?.[1]), max: Number(range?.[2]) };
  if (!range || electionTimeoutMs.min <= heartbeatMs || electionTimeoutMs.max <= electionTimeoutMs.min) {
    throw new UsageError(
      `--election-timeout must be <min>-<max> in ms with --heartbeat (${heartbeatMs}) < min < max, got "${v["election-timeout"]}"`,
    );
  }
  return {
    kind: "serve",
    id,
    join: v.join,
    data: v.data,
    maxRaftState: never ? -1 : wholeNumber("--max-raft-state", v["max-raft-state"], 1),
    sync: !v["no-sync"],
    listen: v.listen === undefined ? undefined : address("--listen", v.listen),
    http: v.http === undefined ? undefined : address("--http", v.http),
    reads: oneOf("--reads", v.reads, ["log", "read-index", "lease"] as const),
    requestTimeoutMs: wholeNumber("--request-timeout", v["request-timeout"], 1),
    heartbeatMs,
    electionTimeoutMs,
    logLevel: oneOf("--log-level", v["log-level"], ["debug", "info", "warn", "error"] as const),
    logFormat:
      v["log-format"] === undefined
        ? undefined
        : oneOf("--log-format", v["log-format"], ["pretty", "json"] as const),
    ...common,
  };
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
      listen: { type: "string" },
      http: { type: "string" },
      reads: { type: "string", default: "log" },
      "request-timeout": { type: "string", default: "1000" },
      heartbeat: { type: "string", default: "150" },
      "election-timeout": { type: "string", default: "500-1000" },
      "max-raft-state": { type: "string", default: "1048576" },
      "max-message-bytes": { type: "string", default: String(64 * 1024 * 1024) },
      "no-sync": { type: "boolean", default: false },
      "log-level": { type: "string", default: "info" },
      "log-format": { type: "string" },
      timeout: { type: "string", default: "10000" },
      file: { type: "string" },
      "tls-cert": { type: "string" },
      "tls-key": { type: "string" },
      "tls-ca": { type: "string" },
      "tls-crl": { type: "string" },
      json: { type: "boolean", default: false },
      join: { type: "boolean", default: false },
      learner: { type: "boolean", default: false },
      version: { type: "boolean", short: "V", default: false },
      help: { type: "boolean", short: "h", default: false },
    },
  });
}
