import { MalformedRequestError } from "../errors.js";

/**
 * What the service layer puts in the raft log around a user's command, as a compact array: every
 * entry crosses the wire to each follower and is written to every log, and field names would
 * cost about 35 bytes each time. The first element says which kind it is (see `EntryParts`).
 */
export type ServiceEntry<Command> =
  | readonly [kind: typeof COMMAND, command: Command]
  | readonly [kind: typeof SESSION, sessionId: number, seq: number, command: Command]
  | readonly [kind: typeof OPEN]
  | readonly [kind: typeof BARRIER];

const COMMAND = 0;
const SESSION = 1;
const OPEN = 2;
const BARRIER = 3;

/** A log entry as the layer's own code reads it. */
export type EntryParts<Command> =
  /** A command without a session (a caller in the replica's own process). */
  | { readonly kind: "command"; readonly command: Command }
  /** Request `seq` of session `sessionId`: executed at most once. */
  | { readonly kind: "session"; readonly sessionId: number; readonly seq: number; readonly command: Command }
  /** A session starts; its id is this entry's log index (Raft thesis §6.3). */
  | { readonly kind: "open" }
  /** A read that goes through the log (no ReadIndex): it changes nothing. */
  | { readonly kind: "barrier" };

/** The log entries the layer proposes. */
export const entries = {
  command: <Command>(command: Command): ServiceEntry<Command> => [COMMAND, command],
  session: <Command>(sessionId: number, seq: number, command: Command): ServiceEntry<Command> => [
    SESSION,
    sessionId,
    seq,
    command,
  ],
  open: (): ServiceEntry<never> => [OPEN],
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
  if (kind === OPEN && value.length === 1) return { kind: "open" };
  if (kind === SESSION && value.length === 4 && Number.isSafeInteger(a) && Number.isSafeInteger(b)) {
    return { kind: "session", sessionId: a as number, seq: b as number, command: c as Command };
  }
  if ((kind === SESSION || kind === OPEN) && typeof a === "string") {
    throw new MalformedRequestError(
      "a session entry with a client id string, written by a raftkit before cluster-assigned session ids: this build cannot read that log; start the member from an empty data directory",
    );
  }
  throw new MalformedRequestError(`not a service log entry: kind ${String(kind)}, ${value.length} elements`);
}
