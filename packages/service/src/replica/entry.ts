import { MalformedRequestError } from "../errors.js";

/**
 * What the service layer puts in the raft log around a user's command, as a compact array: every
 * entry crosses the wire to each follower and is written to every log, and field names would
 * cost about 35 bytes each time. The first element says which kind it is (see `EntryParts`).
 */
export type ServiceEntry<Command> =
  | readonly [kind: typeof COMMAND, command: Command]
  | readonly [kind: typeof SESSION, clientId: string, seq: number, command: Command]
  | readonly [kind: typeof OPEN, clientId: string]
  | readonly [kind: typeof BARRIER];

const COMMAND = 0;
const SESSION = 1;
const OPEN = 2;
const BARRIER = 3;

/** A log entry as the layer's own code reads it. */
export type EntryParts<Command> =
  /** A command without a session (a caller in the replica's own process). */
  | { readonly kind: "command"; readonly command: Command }
  /** A client's request `seq`: executed at most once. */
  | { readonly kind: "session"; readonly clientId: string; readonly seq: number; readonly command: Command }
  /** A client's session starts (idempotent: opening an open session only refreshes it). */
  | { readonly kind: "open"; readonly clientId: string }
  /** A read that goes through the log (no ReadIndex): it changes nothing. */
  | { readonly kind: "barrier" };

/** The log entries the layer proposes. */
export const entries = {
  command: <Command>(command: Command): ServiceEntry<Command> => [COMMAND, command],
  session: <Command>(clientId: string, seq: number, command: Command): ServiceEntry<Command> => [
    SESSION,
    clientId,
    seq,
    command,
  ],
  open: (clientId: string): ServiceEntry<never> => [OPEN, clientId],
  barrier: (): ServiceEntry<never> => [BARRIER],
};

/**
 * The entry `value` is, checked and unpacked: entries come off the wire on followers, so a bug
 * anywhere upstream shows here as a typed error (which stops the replica) rather than as divergence.
 */
export function checkEntry<Command>(value: unknown): EntryParts<Command> {
  if (!Array.isArray(value)) throw new MalformedRequestError("a service log entry must be an array");
  const [kind, a, b, c] = value as unknown[];
  if (kind === COMMAND && value.length === 2) return { kind: "command", command: a as Command };
  if (kind === BARRIER && value.length === 1) return { kind: "barrier" };
  if (kind === OPEN && value.length === 2 && typeof a === "string") return { kind: "open", clientId: a };
  if (kind === SESSION && value.length === 4 && typeof a === "string" && Number.isSafeInteger(b)) {
    return { kind: "session", clientId: a, seq: b as number, command: c as Command };
  }
  throw new MalformedRequestError(`not a service log entry: kind ${String(kind)}, ${value.length} elements`);
}
