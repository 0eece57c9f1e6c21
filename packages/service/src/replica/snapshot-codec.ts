import { decode, encode } from "cbor-x";
import { SnapshotFormatError } from "../errors.js";
import type { SessionRecord } from "./sessions.js";

/**
 * Bumped when the layout changes; a snapshot of another version is refused, never misread.
 * 2: sessions are named by the log index that opened them; 1 named them by client-made strings.
 */
const VERSION = 2;

/** What a service snapshot holds: the state machine's own bytes and the client sessions. */
export interface ServiceSnapshot {
  readonly machine: Uint8Array;
  readonly sessions: readonly SessionRecord[];
}

export function encodeServiceSnapshot(snapshot: ServiceSnapshot): Uint8Array {
  return encode({ v: VERSION, machine: snapshot.machine, sessions: snapshot.sessions });
}

/** Decodes a snapshot written by `encodeServiceSnapshot`; anything else is a SnapshotFormatError. */
export function decodeServiceSnapshot(bytes: Uint8Array): ServiceSnapshot {
  let value: unknown;
  try {
    value = decode(bytes);
  } catch (error) {
    throw new SnapshotFormatError(`cannot decode ${bytes.length} bytes (${(error as Error).message})`);
  }
  if (typeof value !== "object" || value === null) throw new SnapshotFormatError("not an object");
  const { v, machine, sessions } = value as Record<string, unknown>;
  if (v === 1) {
    throw new SnapshotFormatError(
      "version 1 (sessions named by client ids, before cluster-assigned session ids): this build reads version 2 only",
    );
  }
  if (v !== VERSION) throw new SnapshotFormatError(`version ${String(v)}, this build reads ${VERSION}`);
  if (!(machine instanceof Uint8Array)) throw new SnapshotFormatError("no state machine bytes");
  if (!Array.isArray(sessions) || !sessions.every(isSessionRecord)) {
    throw new SnapshotFormatError("bad session table");
  }
  return { machine, sessions };
}

function isSessionRecord(value: unknown): value is SessionRecord {
  return (
    Array.isArray(value) &&
    value.length === 4 &&
    Number.isSafeInteger(value[0]) &&
    Number.isSafeInteger(value[1]) &&
    Number.isSafeInteger(value[2])
  );
}
