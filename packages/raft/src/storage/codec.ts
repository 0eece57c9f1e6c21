import { Encoder } from "cbor-x";
import { isMembership, type Membership } from "../core/membership.js";
import { CorruptStateError, UnencodableCommandError } from "../errors.js";
import type { HardState, LogEntry, SnapshotMeta } from "../types.js";
import { knownEncoding, rememberEncoding } from "./command-bytes.js";

/** Raft's persisted state without the snapshot bytes (those are stored beside it). */
export interface EncodedStateFields<Command = unknown> {
  hardState: HardState;
  snapshotMeta: SnapshotMeta;
  entries: LogEntry<Command>[];
}

const FORMAT_VERSION = 1;
/** Version 2 adds the snapshot's configuration after its term (written only when there is one). */
const FORMAT_WITH_CONFIG = 2;
const codec = new Encoder({ useRecords: false, mapsAsObjects: true });

/**
 * Encodes as a cbor array `[version, term, votedFor, snapshotIndex, snapshotTerm, t1, c1, t2, c2, ...]`:
 * entries flattened into (term, command) pairs so that a log of small commands stays small.
 * `votedFor` is -1 for none. When the snapshot carries a configuration, version 2 holds it right
 * after `snapshotTerm`.
 */
export function encodeRaftState<Command>(state: EncodedStateFields<Command>): Uint8Array {
  const { entries } = state;
  const items = fixedFields(state);
  for (const entry of entries) items.push(entry.term, entry.command);
  return codec.encode(items);
}

function fixedFields(state: Omit<EncodedStateFields<unknown>, "entries">): unknown[] {
  const { hardState, snapshotMeta } = state;
  const config = snapshotMeta.config;
  const version = config ? FORMAT_WITH_CONFIG : FORMAT_VERSION;
  const items: unknown[] = [
    version,
    hardState.term,
    hardState.votedFor ?? -1,
    snapshotMeta.index,
    snapshotMeta.term,
  ];
  if (config) items.push(config);
  return items;
}

const isCount = (value: unknown): value is number =>
  typeof value === "number" && Number.isSafeInteger(value) && value >= 0;

/** Decodes what `encodeRaftState` wrote; throws CorruptStateError for anything else. */
export function decodeRaftState<Command = unknown>(bytes: Uint8Array): EncodedStateFields<Command> {
  let items: unknown;
  try {
    items = codec.decode(bytes);
  } catch (error) {
    throw new CorruptStateError(`not decodable cbor (${(error as Error).message})`, { cause: error });
  }
  if (!Array.isArray(items) || items.length < 5) throw new CorruptStateError("not a raft state record");
  const [version, term, votedFor, snapshotIndex, snapshotTerm] = items;
  if (version !== FORMAT_VERSION && version !== FORMAT_WITH_CONFIG)
    throw new CorruptStateError(`unknown format version ${String(version)}`);
  const first = version === FORMAT_WITH_CONFIG ? 6 : 5;
  let config: Membership | undefined;
  if (version === FORMAT_WITH_CONFIG) {
    if (!isMembership(items[5])) throw new CorruptStateError("bad snapshot configuration");
    config = items[5];
  }
  if (!isCount(term)) throw new CorruptStateError(`bad term ${String(term)}`);
  if (votedFor !== -1 && !isCount(votedFor)) throw new CorruptStateError(`bad votedFor ${String(votedFor)}`);
  if (!isCount(snapshotIndex) || !isCount(snapshotTerm) || snapshotTerm > term) {
    throw new CorruptStateError(`bad snapshot boundary ${String(snapshotIndex)}/${String(snapshotTerm)}`);
  }
  if ((items.length - first) % 2 !== 0) throw new CorruptStateError("log entries are cut short");
  const entries: LogEntry<Command>[] = [];
  let previousTerm = snapshotTerm;
  for (let i = first; i < items.length; i += 2) {
    const entryTerm = items[i];
    if (!isCount(entryTerm) || entryTerm < previousTerm || entryTerm > term) {
      throw new CorruptStateError(
        `bad term ${String(entryTerm)} for entry ${snapshotIndex + (i - first + 2) / 2}`,
      );
    }
    previousTerm = entryTerm;
    entries.push({ term: entryTerm, command: items[i + 1] as Command });
  }
  return {
    hardState: { term, votedFor: votedFor === -1 ? null : (votedFor as number) },
    snapshotMeta: config
      ? { index: snapshotIndex, term: snapshotTerm, config }
      : { index: snapshotIndex, term: snapshotTerm },
    entries,
  };
}

/** The cbor length of a non-negative integer (or of an array or map header with that count). */
const headerBytes = (count: number): number =>
  count < 24 ? 1 : count < 256 ? 2 : count < 65536 ? 3 : count < 2 ** 32 ? 5 : 9;

/**
 * The length of a command's cbor encoding: what it costs on the wire. The encoding kept from
 * its proposal or message when there is one (see command-bytes.ts): a leader measures each
 * entry for its log and its metrics, and re-encoding it each time cost ~1 µs apiece.
 */
export function commandBytes(command: unknown): number {
  return (knownEncoding(command) ?? codec.encode(command)).length;
}

/** The bytes one entry adds to the record `encodeRaftState` writes (its term and its command). */
export function encodedEntrySize(entry: LogEntry<unknown>): number {
  return headerBytes(entry.term) + commandBytes(entry.command);
}

/**
 * `encodeRaftState(state).length`, computed from the entries' sizes without encoding the log:
 * what a service asks after every applied command must not cost the whole log each time.
 */
export function encodedStateSize(
  state: Omit<EncodedStateFields<unknown>, "entries">,
  entryCount: number,
  entriesBytes: number,
): number {
  const fixed = fixedFields(state);
  return (
    headerBytes(fixed.length + 2 * entryCount) +
    fixed.reduce<number>((sum, n) => sum + codec.encode(n).length, 0) +
    entriesBytes
  );
}

/**
 * A command as every replica sees it: decoded from the bytes the wire carries (a class instance
 * arrives as a plain object), with their count. The leader proposes this copy too, so that it
 * applies exactly what its followers apply. Throws UnencodableCommandError.
 */
export function wireCopy<Command>(command: Command): { command: Command; bytes: number } {
  let encoded: Uint8Array;
  try {
    // A copy: the encoder's buffer is reused, and decoded byte strings are views into their source.
    encoded = codec.encode(command).slice();
  } catch (error) {
    throw new UnencodableCommandError(error);
  }
  const copy = codec.decode(encoded) as Command;
  // The log write and every AppendEntries send these bytes as they are (see encodedCommand).
  rememberEncoding(copy, encoded);
  return { command: copy, bytes: encoded.length };
}
