import { hasExactly, InvalidMessageError, type WireCodec } from "@raftkit/raft";
import { SERVICE_METHODS } from "./wire.js";

/** The addressing fields a request may carry (see `Addressed`), in their bit order. */
const ADDRESS = ["cluster", "to"] as const;

/**
 * A request `{ ...required, cluster?, to? }` as `[mask, ...required values, ...address values]`
 * (`mask` says which address fields follow), and the `ok` replies as `[0]` or `[0, value]`.
 */
function requestCodec(id: number, method: string, required: readonly string[]) {
  const shapes = [0, 1, 2, 3].map((mask) => [...required, ...ADDRESS.filter((_, bit) => mask & (1 << bit))]);
  const bad = (what: string) => new InvalidMessageError(method, `compact form: ${what}`);
  return {
    id,
    encodeArgs(args: unknown): unknown[] | undefined {
      const mask = shapes.findIndex((shape) => hasExactly(args, shape));
      if (mask < 0) return undefined;
      return [mask, ...shapes[mask]!.map((field) => (args as Record<string, unknown>)[field])];
    },
    decodeArgs(compact: unknown[]): unknown {
      const shape = shapes[compact[0] as number];
      if (!shape || compact.length !== shape.length + 1) throw bad(`${compact.length} items`);
      const args: Record<string, unknown> = {};
      for (const [i, field] of shape.entries()) args[field] = compact[i + 1];
      return args;
    },
    encodeReply(reply: unknown): unknown[] | undefined {
      if (hasExactly(reply, ["status"])) return reply.status === "ok" ? [0] : undefined;
      if (hasExactly(reply, ["status", "value"]) && reply.status === "ok") return [0, reply.value];
      return undefined;
    },
    decodeReply(compact: unknown[]): unknown {
      if (compact[0] !== 0 || compact.length > 2) throw bad("a reply");
      return compact.length === 2 ? { status: "ok", value: compact[1] } : { status: "ok" };
    },
  } satisfies WireCodec;
}

/**
 * The service layer's compact wire forms (ids 16–18; raft's are 1–15), for transport-tcp's
 * `codecs` on every member and client: a Submit of a 100-byte Put crossed with 60 bytes of field
 * names and envelope around its command. Error replies travel as they are.
 */
export const SERVICE_WIRE_CODECS: Readonly<Record<string, WireCodec>> = Object.freeze({
  [SERVICE_METHODS.submit]: requestCodec(16, SERVICE_METHODS.submit, ["session", "seq", "command"]),
  [SERVICE_METHODS.read]: requestCodec(17, SERVICE_METHODS.read, ["query"]),
  [SERVICE_METHODS.openSession]: requestCodec(18, SERVICE_METHODS.openSession, []),
});
