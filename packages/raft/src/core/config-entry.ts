import type { LogEntry } from "../types.js";
import { isMembership, type Membership } from "./membership.js";

/**
 * A configuration entry is a log entry whose command is `{ [CONFIG_KEY]: membership }`. Like the
 * no-op (command `undefined`), that keeps every log format (a term and a command per entry) and
 * every storage unchanged; `propose` refuses commands carrying the key, so the two never mix.
 */
export const CONFIG_KEY = "raftkit:membership";

export function configEntry<Command>(term: number, membership: Membership): LogEntry<Command> {
  return { term, command: { [CONFIG_KEY]: membership } as Command };
}

/** Whether a command uses the reserved key (and so must not be proposed). */
export function isReservedCommand(command: unknown): boolean {
  return typeof command === "object" && command !== null && Object.hasOwn(command, CONFIG_KEY);
}

/** The configuration an entry carries, or undefined for any other entry. */
export function configOf(entry: LogEntry<unknown>): Membership | undefined {
  const command = entry.command;
  if (typeof command !== "object" || command === null || !Object.hasOwn(command, CONFIG_KEY))
    return undefined;
  const membership = (command as Record<string, unknown>)[CONFIG_KEY];
  return isMembership(membership) ? membership : undefined;
}
