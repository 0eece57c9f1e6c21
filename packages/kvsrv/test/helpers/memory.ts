import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { Encoder } from "cbor-x";

type Gc = () => void;

/** `global.gc` (run with --expose-gc); failing that, the same function obtained through V8 flags. */
function findGc(): Gc {
  const exposed = (globalThis as { gc?: Gc }).gc;
  if (exposed) return exposed;
  setFlagsFromString("--expose-gc");
  return runInNewContext("gc") as Gc;
}

const gc = findGc();

/** Process memory after two full collections: V8 heap plus memory held outside it. */
export interface MemorySample {
  heapUsed: number;
  /** Off-heap memory owned by JS objects: ArrayBuffers, and strings kept outside the heap. */
  external: number;
  arrayBuffers: number;
  /** heapUsed + external (external includes arrayBuffers). */
  total: number;
}

export function measure(): MemorySample {
  gc();
  gc();
  const { heapUsed, external, arrayBuffers } = process.memoryUsage();
  return { heapUsed, external, arrayBuffers, total: heapUsed + external };
}

export const MiB = 1 << 20;

export function formatBytes(bytes: number): string {
  return Math.abs(bytes) >= MiB ? `${(bytes / MiB).toFixed(2)} MiB` : `${(bytes / 1024).toFixed(1)} KiB`;
}

/** The change from `before` to `after`, component by component, for reports. */
export function describeDelta(before: MemorySample, after: MemorySample): string {
  const d = (k: keyof MemorySample) => formatBytes(after[k] - before[k]);
  return `heapUsed ${d("heapUsed")}, external ${d("external")} (arrayBuffers ${d("arrayBuffers")}); total ${d("total")}`;
}

/**
 * cbor-x encodes into one scratch buffer shared by every Encoder in the process, grows it to up to
 * four times the largest message and never shrinks it. labrpc encodes every argument and reply with
 * cbor-x, so after a 10 MiB RPC the process holds tens of MiB that belong to the simulated wire,
 * not to the server. This hands cbor-x a small scratch buffer again (what a fresh process has),
 * and returns how many bytes that released. The decoder also keeps a view of the last buffer it
 * read, so a tiny message is decoded as well. Encoding is synchronous: nobody is mid-encode.
 */
export function releaseCodecScratch(): number {
  const before = measure().arrayBuffers;
  const codec = new Encoder();
  (codec as unknown as { useBuffer(buffer: Uint8Array): void }).useBuffer(Buffer.allocUnsafeSlow(8192));
  codec.decode(codec.encode(0));
  return before - measure().arrayBuffers;
}
