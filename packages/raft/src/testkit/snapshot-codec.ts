import { Encoder } from "cbor-x";
import { HarnessError } from "./errors.js";

const codec = new Encoder({ useRecords: false, mapsAsObjects: true });

/**
 * The harness's snapshot, as in the lab: the last included index and every command through it
 * (so a server restored from it can still be cross-checked), plus the state machine's own
 * snapshot when the cluster runs one.
 */
export interface HarnessSnapshot {
  index: number;
  /** Commands at indexes 1..index. */
  commands: unknown[];
  machine: Uint8Array | undefined;
}

export function encodeHarnessSnapshot(snapshot: HarnessSnapshot): Uint8Array {
  const items: unknown[] = [snapshot.index, snapshot.commands];
  if (snapshot.machine) items.push(snapshot.machine);
  return codec.encode(items);
}

export function decodeHarnessSnapshot(bytes: Uint8Array): HarnessSnapshot {
  let items: unknown;
  try {
    items = codec.decode(bytes);
  } catch (error) {
    throw new HarnessError(`snapshot is not decodable: ${(error as Error).message}`);
  }
  if (!Array.isArray(items) || typeof items[0] !== "number" || !Array.isArray(items[1])) {
    throw new HarnessError("snapshot does not hold (index, commands)");
  }
  const machine = items[2];
  return {
    index: items[0],
    commands: items[1] as unknown[],
    machine: machine instanceof Uint8Array ? machine : undefined,
  };
}
