import { type KvCommand, type KvMalformed, MalformedCommandError } from "@raftkit/kvsrv";

const OPS = ["get", "put", "append", "delete"] as const;
const CODE = { get: 0, put: 1, append: 2, delete: 3 } as const;

/**
 * A command as kvraft carries it in a Submit and keeps it in raft's log: `[op, key]` for get and
 * delete, `[op, key, value]` for put and append, with `op` coded 0 get, 1 put, 2 append, 3
 * delete. Every write crosses the wire three times (client to leader, leader to each follower)
 * and sits in every member's log: kvsrv's `{ op: "put", key, value }` spent 16 bytes of field
 * names and op name each time (48 of a 100-byte put's ~570 bytes on the wire).
 */
export type KvRaftCommand =
  | readonly [op: 0 | 3, key: string]
  | readonly [op: 1 | 2, key: string, value: string];

/**
 * What a Submit resolves with: the value (a Get through the log: undefined when the key has none)
 * or nothing (Put, Append, Delete); kvsrv's `{ status: "ok", value? }` inside the service layer's
 * own ok reply said "ok" twice, 11 bytes in every write's reply. A malformed command never
 * reaches the log (the server's parser refuses it), but if one did its KvMalformed comes back.
 */
export type KvRaftResult = string | undefined | KvMalformed;
/** What a Read resolves with: the key's value, or undefined when it has none. */
export type KvRaftAnswer = string | undefined;

/** kvsrv's command in kvraft's compact form. */
export function encodeKvCommand(command: KvCommand): KvRaftCommand {
  switch (command.op) {
    case "get":
    case "delete":
      return [CODE[command.op], command.key];
    default:
      return [CODE[command.op], command.key, command.value];
  }
}

/**
 * The kvsrv command that `value` (untrusted: off the wire or out of a log) stands for. Throws
 * MalformedCommandError naming the first bad field.
 */
export function decodeKvCommand(value: unknown): KvCommand {
  if (!Array.isArray(value) || value.length < 2 || value.length > 3) {
    throw new MalformedCommandError("command", "an array [op, key] or [op, key, value]");
  }
  const [code, key, text] = value as unknown[];
  const op = typeof code === "number" ? OPS[code] : undefined;
  if (op === undefined) throw new MalformedCommandError("op", "0 (get), 1 (put), 2 (append) or 3 (delete)");
  if (typeof key !== "string") throw new MalformedCommandError("key", "a string");
  const hasValue = op === "put" || op === "append";
  if (value.length !== (hasValue ? 3 : 2)) {
    throw new MalformedCommandError("command", hasValue ? `[${code}, key, value]` : `[${code}, key]`);
  }
  if (!hasValue) return { op, key };
  if (typeof text !== "string") throw new MalformedCommandError("value", "a string");
  return { op, key, value: text };
}

/** Checks a command off the wire; returns a fresh compact command holding only its fields. */
export function parseKvRaftCommand(value: unknown): KvRaftCommand {
  return encodeKvCommand(decodeKvCommand(value));
}
