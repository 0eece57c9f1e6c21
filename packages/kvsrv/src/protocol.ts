import type { KvOp, KvResult } from "./commands.js";

/** The RPC service name, as in the lab (`"KVServer.Get"`, ...). */
export const KV_SERVICE = "KVServer";

/** The RPC method for each operation. */
export const KV_METHODS: Readonly<Record<KvOp, string>> = Object.freeze({
  get: `${KV_SERVICE}.Get`,
  put: `${KV_SERVICE}.Put`,
  append: `${KV_SERVICE}.Append`,
  delete: `${KV_SERVICE}.Delete`,
});

/** Arguments of `KVServer.Get`. The session fields are optional (both or neither). */
export interface GetArgs {
  key: string;
  clientId?: string;
  seq?: number;
}

/** Arguments of `KVServer.Put` and `KVServer.Append`. */
export interface PutAppendArgs {
  key: string;
  value: string;
  clientId: string;
  seq: number;
}

/** Arguments of `KVServer.Delete`. */
export interface DeleteArgs {
  key: string;
  clientId: string;
  seq: number;
}

/** The server does not know the method it was called with. */
export interface KvUnknownMethod {
  readonly status: "unknown-method";
  readonly method: string;
  readonly methods: readonly string[];
}

/** Every reply a KvServer sends. */
export type KvReply = KvResult | KvUnknownMethod;

const OPS = new Map<string, KvOp>(Object.entries(KV_METHODS).map(([op, method]) => [method, op as KvOp]));

/** The operation an RPC method name stands for, if any. */
export function opOfMethod(method: string): KvOp | undefined {
  return OPS.get(method);
}
