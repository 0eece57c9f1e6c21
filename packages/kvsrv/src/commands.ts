/**
 * The commands the key/value state machine executes and the results it returns. Plain data only,
 * so that a command can travel in an RPC or sit in a raft log entry, and a result can be a reply.
 */

/** Which operation a command performs. */
export type KvOp = "get" | "put" | "append" | "delete";

/**
 * Who sent a request (KvServer's wire protocol): a client id (from nanoid) and the client's
 * sequence number for this request. Sequence numbers grow by one per request; a client has at
 * most one request outstanding, so a request with sequence number `s` tells the server the client
 * has seen the replies to everything before `s`. The session layer of `@raftkit/service` decides
 * duplicates with them; the commands themselves carry none.
 */
export interface KvSession {
  readonly clientId: string;
  readonly seq: number;
}

/** Reads a key; the result has no `value` when the key is absent. */
export interface GetCommand {
  readonly op: "get";
  readonly key: string;
}

/** Replaces a key's value. */
export interface PutCommand {
  readonly op: "put";
  readonly key: string;
  readonly value: string;
}

/** Appends to a key's value; the result carries the old value (see `appendReturnsOldValue`). */
export interface AppendCommand {
  readonly op: "append";
  readonly key: string;
  readonly value: string;
}

/** Removes a key (nothing happens if it is absent). */
export interface DeleteCommand {
  readonly op: "delete";
  readonly key: string;
}

export type KvCommand = GetCommand | PutCommand | AppendCommand | DeleteCommand;

/**
 * Success. `value` is the value read (Get; absent when the key has none, so a missing key and
 * an empty value differ), the value before the append (Append, unless the state machine was
 * created with `appendReturnsOldValue: false`), or absent (Put, Delete).
 */
export interface KvOk {
  readonly status: "ok";
  readonly value?: string;
}

/** The command was missing a field or had one of the wrong type. Nothing was executed. */
export interface KvMalformed {
  readonly status: "malformed";
  /** The offending field, e.g. `"key"`, or `""` when the command itself is not an object. */
  readonly field: string;
  /** What the field should have been, e.g. `"a string"`. */
  readonly expected: string;
  readonly message: string;
}

export type KvResult = KvOk | KvMalformed;
