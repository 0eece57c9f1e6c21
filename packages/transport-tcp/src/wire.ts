import { Encoder } from "cbor-x";
import type { CodecTable, MethodCodec } from "./codecs.js";
import { EncodeError, MalformedMessageError } from "./errors.js";
import { frame } from "./frame-decoder.js";

/**
 * Protocol version spoken in the handshake. 2: calls and replies are cbor arrays (see
 * `encodeRequest`), with compact forms for methods that have a codec; 1 sent them as maps.
 */
export const PROTOCOL_VERSION = 2;

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
  /** For people: logged and shown, never parsed. */
  reason: string;
  code?: RefuseCode;
  /**
   * The id of the member that refused, so that a caller that reached another member than it
   * meant learns which one is at that address. Absent from peers before it was added, and when
   * the refusing side is not a member.
   */
  refusedBy?: number;
}
/** The handshake's messages: cbor maps, the same in every protocol version. */
export type Handshake = Hello | Welcome | Refuse;
export interface Request {
  t: "req";
  id: number;
  method: string;
  args: unknown;
  /** The arguments came in their codec's compact form: so does the reply. */
  compact: boolean;
}
export type Response =
  /** `compact`: `reply` is still in the compact form of the call's codec (the caller decodes it). */
  | { t: "res"; id: number; ok: true; reply: unknown; compact: boolean }
  | { t: "res"; id: number; ok: false; error: string };
export type Message = Handshake | Request | Response;

// Records off: a stateful encoder would make frames depend on what was sent before.
const codec = new Encoder({ useRecords: false, mapsAsObjects: true });

// The first item of a call's or a reply's array.
const REQUEST = 0; // [0, id, method name or codec id, args or their compact form]
const REPLY = 1; // [1, id, reply]
const COMPACT_REPLY = 2; // [2, id, compact form of the reply]
const ERROR = 3; // [3, id, message]

function encode(value: unknown, what: string): Buffer {
  try {
    return frame(codec.encode(value));
  } catch (error) {
    throw new EncodeError(what, error);
  }
}

/** A framed handshake message. */
export function encodeHandshake(message: Handshake, what: string): Buffer {
  return encode(message, what);
}

/**
 * A framed call; with `methodCodec`, compact when it knows the arguments' shape. Returns whether
 * it was, so that the reply is read with the same codec. Throws EncodeError.
 */
export function encodeRequest(
  id: number,
  method: string,
  args: unknown,
  methodCodec: MethodCodec | undefined,
): { bytes: Buffer; compact: boolean } {
  let compact: unknown[] | undefined;
  try {
    compact = methodCodec?.encodeArgs(args);
  } catch (error) {
    throw new EncodeError(`arguments of ${method}`, error);
  }
  if (compact && methodCodec) {
    return { bytes: encode([REQUEST, id, methodCodec.id, compact], `arguments of ${method}`), compact: true };
  }
  return { bytes: encode([REQUEST, id, method, args], `arguments of ${method}`), compact: false };
}

/** A framed reply: in `methodCodec`'s compact form when given and it knows the reply's shape. */
export function encodeReply(id: number, reply: unknown, methodCodec: MethodCodec | undefined, what: string) {
  const compact = methodCodec?.encodeReply(reply);
  return compact ? encode([COMPACT_REPLY, id, compact], what) : encode([REPLY, id, reply], what);
}

/** A framed error reply. */
export function encodeError(id: number, error: string): Buffer {
  return encode([ERROR, id, error], "an error reply");
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
export function decodeMessage(bytes: Buffer, codecs: CodecTable): Message {
  let value: unknown;
  try {
    value = codec.decode(bytes);
  } catch (error) {
    throw new MalformedMessageError(`not CBOR: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (bytes.includes(PROTO_KEY) && hasMangledProtoKey(value)) {
    throw new MalformedMessageError("a map with a __proto__ key");
  }
  if (Array.isArray(value)) return decodeCall(value, codecs);
  if (!isRecord(value)) throw new MalformedMessageError("a frame must hold an array or a map");
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
      if (typeof value.reason === "string" && (value.refusedBy === undefined || isId(value.refusedBy)))
        return value as unknown as Refuse;
      break;
  }
  throw new MalformedMessageError(`bad message shape (t=${JSON.stringify(value.t)?.slice(0, 40)})`);
}

function decodeCall(value: unknown[], codecs: CodecTable): Request | Response {
  const [kind, id, a, b] = value;
  if (isId(id)) {
    if (kind === REQUEST && value.length === 4) {
      if (typeof a === "string") return { t: "req", id, method: a, args: b, compact: false };
      const known = isId(a) ? codecs.forId(a) : undefined;
      if (!known)
        throw new MalformedMessageError(
          `a call of unknown method id ${String(a).slice(0, 20)}: register the same codecs on every member and client`,
        );
      if (!Array.isArray(b)) throw new MalformedMessageError(`a compact ${known.method} without its array`);
      try {
        return { t: "req", id, method: known.method, args: known.codec.decodeArgs(b), compact: true };
      } catch (error) {
        throw new MalformedMessageError(`compact ${known.method}: ${(error as Error).message}`);
      }
    }
    if (kind === REPLY && value.length === 3) return { t: "res", id, ok: true, reply: a, compact: false };
    if (kind === COMPACT_REPLY && value.length === 3 && Array.isArray(a))
      return { t: "res", id, ok: true, reply: a, compact: true };
    if (kind === ERROR && value.length === 3 && typeof a === "string")
      return { t: "res", id, ok: false, error: a };
  }
  throw new MalformedMessageError(
    `bad message shape (an array of ${value.length} starting ${String(kind).slice(0, 20)})`,
  );
}
