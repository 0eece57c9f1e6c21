import { TransportConfigError } from "./errors.js";

/**
 * A compact wire form for one method: its calls carry `id` instead of the method's name and
 * `encodeArgs`' array instead of the arguments, its replies `encodeReply`'s array. Both ends must
 * register the same codecs (raft's `RAFT_WIRE_CODECS`, the service layer's `SERVICE_WIRE_CODECS`). A value whose
 * shape the codec does not know (`encode*` returns undefined) travels in the generic form, and a
 * reply is compact only when its request was, so a peer without the codec is still understood.
 */
export interface MethodCodec {
  /** Sent in place of the method's name: unique among a transport's codecs (0–23 take one byte). */
  readonly id: number;
  /** The compact form of a call's arguments, or undefined to send them as they are. */
  encodeArgs(args: unknown): unknown[] | undefined;
  /** The arguments back from their compact form; throws on a malformed one (the frame is refused). */
  decodeArgs(compact: unknown[]): unknown;
  /** The compact form of a reply, or undefined to send it as it is. */
  encodeReply(reply: unknown): unknown[] | undefined;
  /** The reply back from its compact form; throws on a malformed one (the call fails). */
  decodeReply(compact: unknown[]): unknown;
}

/** A transport's codecs, by method name and by id. */
export class CodecTable {
  readonly #byMethod = new Map<string, MethodCodec>();
  readonly #byId = new Map<number, { method: string; codec: MethodCodec }>();

  constructor(codecs: Readonly<Record<string, MethodCodec | undefined>> = {}) {
    for (const [method, codec] of Object.entries(codecs)) {
      if (!codec) continue;
      if (!Number.isSafeInteger(codec.id) || codec.id < 0)
        throw new TransportConfigError(`the codec of ${method} needs an integer id >= 0, got ${codec.id}`);
      const taken = this.#byId.get(codec.id);
      if (taken)
        throw new TransportConfigError(`codecs of ${taken.method} and ${method} both have id ${codec.id}`);
      this.#byMethod.set(method, codec);
      this.#byId.set(codec.id, { method, codec });
    }
  }

  forMethod(method: string): MethodCodec | undefined {
    return this.#byMethod.get(method);
  }

  forId(id: number): { method: string; codec: MethodCodec } | undefined {
    return this.#byId.get(id);
  }
}
