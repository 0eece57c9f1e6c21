import type { KvCommand, KvMalformed, KvSession } from "./commands.js";
import { MalformedCommandError } from "./errors.js";

type Fields = Record<string, unknown>;

function isObject(value: unknown): value is Fields {
  return (
    typeof value === "object" && value !== null && !Array.isArray(value) && !(value instanceof Uint8Array)
  );
}

function requireString(fields: Fields, field: string): string {
  const value = fields[field];
  if (typeof value !== "string") throw new MalformedCommandError(field, "a string");
  return value;
}

/** The client id of a request, checked (a non-empty string). */
export function parseClientId(fields: unknown): string {
  if (!isObject(fields)) throw new MalformedCommandError("", "an object");
  const value = fields.clientId;
  if (typeof value !== "string" || value.length === 0)
    throw new MalformedCommandError("clientId", "a non-empty string");
  return value;
}

function requireSeq(fields: Fields): number {
  const value = fields.seq;
  if (typeof value !== "number" || !Number.isSafeInteger(value) || value < 1) {
    throw new MalformedCommandError("seq", "a positive integer");
  }
  return value;
}

/**
 * Checks that `value` is a well-formed command and returns it as one (a fresh object holding only
 * the known fields). Throws MalformedCommandError naming the first bad field.
 */
export function parseKvCommand(value: unknown): KvCommand {
  if (!isObject(value)) throw new MalformedCommandError("", "an object");
  const op = value.op;
  if (op === "get" || op === "put" || op === "append" || op === "delete") return parseBody(op, value);
  throw new MalformedCommandError("op", '"get", "put", "append" or "delete"');
}

/** A KvServer request: the command, and the session it came in (required for a write). */
export interface KvRequest {
  readonly command: KvCommand;
  readonly session: KvSession | undefined;
}

/**
 * Checks the fields of a request for `op` (the RPC arguments, which carry no `op` field) and
 * returns the command and its session. Throws MalformedCommandError naming the first bad field.
 */
export function parseKvRequest(op: KvCommand["op"], args: unknown): KvRequest {
  if (!isObject(args)) throw new MalformedCommandError("", "an object");
  const command = parseBody(op, args);
  // The session is optional on a Get, but all or nothing.
  if (op === "get" && args.clientId === undefined && args.seq === undefined)
    return { command, session: undefined };
  return { command, session: { clientId: parseClientId(args), seq: requireSeq(args) } };
}

function parseBody(op: KvCommand["op"], fields: Fields): KvCommand {
  const key = requireString(fields, "key");
  if (op === "get" || op === "delete") return { op, key };
  return { op, key, value: requireString(fields, "value") };
}

/** The result that reports `error`. */
export function malformedResult(error: MalformedCommandError): KvMalformed {
  return { status: "malformed", field: error.field, expected: error.expected, message: error.message };
}
