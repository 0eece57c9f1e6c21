import { connect, type Socket } from "node:net";
import { Encoder } from "cbor-x";
import { PROTOCOL_VERSION } from "../src/index.js";

const codec = new Encoder({ useRecords: false });

/** Frames a payload the way the transport does: 4-byte big-endian length, then the bytes. */
export function rawFrame(payload: Uint8Array): Buffer {
  const header = Buffer.alloc(4);
  header.writeUInt32BE(payload.length);
  return Buffer.concat([header, payload]);
}

export const cbor = (value: unknown): Buffer => Buffer.from(codec.encode(value));

/** A hand-driven connection for sending arbitrary bytes; `closed` resolves when the server hangs up. */
export async function rawConnect(
  port: number,
): Promise<{ socket: Socket; closed: Promise<void>; received: Buffer[] }> {
  const socket = connect({ host: "127.0.0.1", port });
  await new Promise<void>((resolve, reject) => {
    socket.once("connect", resolve);
    socket.once("error", reject);
  });
  const received: Buffer[] = [];
  socket.on("data", (d: Buffer) => received.push(d));
  socket.on("error", () => {});
  const closed = new Promise<void>((resolve) => socket.once("close", () => resolve()));
  return { socket, closed, received };
}

export const hello = (to: number) =>
  rawFrame(cbor({ t: "hello", v: PROTOCOL_VERSION, cluster: "test", from: "raw", to }));

/** A call as the transport frames it: `[0, id, method, args]`. */
export const rawRequest = (id: unknown, method: unknown, args: unknown) =>
  rawFrame(cbor([0, id, method, args]));
