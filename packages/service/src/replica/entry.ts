import { MalformedRequestError } from "../errors.js";

/**
 * What the service layer puts in the raft log around a user's command. Every replica applies
 * these in log order, so everything they decide (deduplication, session expiry) is the same on
 * every replica.
 */
export type ServiceEntry<Command> =
  /** A command without a session (a caller in the replica's own process). */
  | { readonly kind: "command"; readonly command: Command }
  /** A client's request `seq`: executed at most once. */
  | { readonly kind: "session"; readonly clientId: string; readonly seq: number; readonly command: Command }
  /** A client's session starts (idempotent: opening an open session only refreshes it). */
  | { readonly kind: "open"; readonly clientId: string }
  /** A read that goes through the log (no ReadIndex): it changes nothing. */
  | { readonly kind: "barrier" };

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null;

/**
 * The entry `value` is, checked: entries come off the wire on followers, so a bug anywhere
 * upstream shows here as a typed error (which stops the replica) rather than as divergence.
 */
export function checkEntry<Command>(value: unknown): ServiceEntry<Command> {
  if (!isRecord(value)) throw new MalformedRequestError("a log entry must be an object");
  switch (value.kind) {
    case "command":
    case "barrier":
      return value as ServiceEntry<Command>;
    case "open":
      if (typeof value.clientId === "string") return value as ServiceEntry<Command>;
      break;
    case "session":
      if (typeof value.clientId === "string" && Number.isSafeInteger(value.seq)) {
        return value as ServiceEntry<Command>;
      }
      break;
  }
  throw new MalformedRequestError(`not a service log entry: kind ${String(value.kind)}`);
}
