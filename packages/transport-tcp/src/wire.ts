import { Encoder } from "cbor-x";
import { EncodeError, MalformedMessageError } from "./errors.js";

/** Protocol version spoken in the handshake. */
export const PROTOCOL_VERSION = 1;

/** First frame on a connection: who is calling whom, in which cluster. */
export interface Hello {
  t: "hello";
  v: number;
  cluster: string;
  from: string;
  to: number;
}
export interface Welcome {
  t: "welcome";
}
/** Why a handshake was refused, for the caller to act on (absent from older peers). */
export type RefuseCode = "version" | "cluster" | "id";
export interface Refuse {
  t: "refuse";
  reason: string;
  code?: RefuseCode;
}
export interface Request {
  t: "req";
  id: number;
  method: string;
  args: unknown;
}
export type Response =
  | { t: "res"; id: number; ok: true; reply: unknown }
  | { t: "res"; id: number; ok: false; error: string };
export type Message = Hello | Welcome | Refuse | Request | Response;

// Records off: a stateful encoder would make frames depend on what was sent before.
const codec = new Encoder({ useRecords: false, mapsAsObjects: true });

export function encodeMessage(message: Message, what: string): Uint8Array {
  try {
    return codec.encode(message);
  } catch (error) {
    throw new EncodeError(what, error);
  }
}

// The CBOR text string "__proto__" (major type 3, length 9). cbor-x already renames such keys to
// "__proto_" so they cannot reach a prototype; we refuse the frame outright, since no peer of ours
// ever sends one.
const PROTO_KEY = Buffer.from([0x69, ...Buffer.from("__proto__")]);

function hasMangledProtoKey(value: unknown, depth = 0): boolean {
  if (depth > 64 || value === null || typeof value !== "object" || ArrayBuffer.isView(value)) return false;
  if (Array.isArray(value)) return value.some((v) => hasMangledProtoKey(v, depth + 1));
  for (const [key, v] of Object.entries(value)) {
    if (key === "__proto_" || hasMangledProtoKey(v, depth + 1)) return true;
  }
  return false;
}

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);
const isId = (v: unknown): v is number => Number.isSafeInteger(v) && (v as number) >= 0;

/** Decodes and checks one frame; throws MalformedMessageError for anything that is not a Message. */
export function decodeMessage(bytes: Buffer): Message {
  let value: unknown;
  try {
    value = codec.decode(bytes);
  } catch (error) {
    throw new MalformedMessageError(`not CBOR: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (bytes.includes(PROTO_KEY) && hasMangledProtoKey(value)) {
    throw new MalformedMessageError("a map with a __proto__ key");
  }
  if (!isRecord(value)) throw new MalformedMessageError("a frame must hold a map");
  switch (value.t) {
    case "hello":
      if (
        typeof value.v === "number" &&
        typeof value.cluster === "string" &&
        typeof value.from === "string" &&
        isId(value.to)
      ) {
        return value as unknown as Hello;
      }
      break;
    case "welcome":
      return { t: "welcome" };
    case "refuse":
      if (typeof value.reason === "string") return value as unknown as Refuse;
      break;
    case "req":
      if (isId(value.id) && typeof value.method === "string" && "args" in value)
        return value as unknown as Request;
      break;
    case "res":
      if (isId(value.id) && value.ok === true && "reply" in value) return value as unknown as Response;
      if (isId(value.id) && value.ok === false && typeof value.error === "string")
        return value as unknown as Response;
      break;
  }
  throw new MalformedMessageError(`bad message shape (t=${JSON.stringify(value.t)?.slice(0, 40)})`);
}
