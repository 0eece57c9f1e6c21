/**
 * A copy of `s` that shares no memory with the string it came from.
 *
 * A string decoded from a message (cbor-x does this) is often a slice of one larger string that
 * holds several of the message's strings. Stored as a long-lived key, value or client id, such a
 * slice keeps the whole parent alive: a short key can pin a 1 MiB value that was overwritten long
 * ago. Concatenating and slicing makes V8 build a new flat string, so the stored copy owns its
 * memory. It costs one copy of each string the state machine keeps.
 */
export function ownString(s: string): string {
  return s.length === 0 ? "" : ` ${s}`.slice(1);
}
