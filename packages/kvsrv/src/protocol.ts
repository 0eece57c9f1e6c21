import type { KvMalformed, KvOk, KvOp } from "./commands.js";

/** The RPC service name, as in the lab (`"KVServer.Get"`, ...). */
export const KV_SERVICE = "KVServer";

/** The RPC method for each operation. */
export const KV_METHODS: Readonly<Record<KvOp, string>> = Object.freeze({
  get: `${KV_SERVICE}.Get`,
  put: `${KV_SERVICE}.Put`,
  append: `${KV_SERVICE}.Append`,
  delete: `${KV_SERVICE}.Delete`,
});

/**
 * Opens (or refreshes) a client's session, `{ clientId }`: needed before the client's first
 * write, so that a retried first write is never taken for a new client (see the service layer's
 * SessionTable, which keeps the sessions).
 */
export const KV_OPEN_SESSION = `${KV_SERVICE}.OpenSession`;

/** Every method a KvServer answers. */
export const KV_SERVER_METHODS: readonly string[] = Object.freeze([
  ...Object.values(KV_METHODS),
  KV_OPEN_SESSION,
]);

/** Arguments of `KVServer.OpenSession`. */
export interface OpenSessionArgs {
  clientId: string;
}

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

/**
 * The request is older than the newest one seen from its client, so the client has stopped
 * waiting for it. It was not executed now; any effect it had happened when it first arrived.
 */
export interface KvSuperseded {
  readonly status: "superseded";
}

/** The client's session is not open (never opened, or evicted): the write was not executed. */
export interface KvSessionExpired {
  readonly status: "session-expired";
}

/** The server does not know the method it was called with. */
export interface KvUnknownMethod {
  readonly status: "unknown-method";
  readonly method: string;
  readonly methods: readonly string[];
}

/** Every reply a KvServer sends. */
export type KvReply = KvOk | KvMalformed | KvSuperseded | KvSessionExpired | KvUnknownMethod;

const OPS = new Map<string, KvOp>(Object.entries(KV_METHODS).map(([op, method]) => [method, op as KvOp]));

/** The operation an RPC method name stands for, if any. */
export function opOfMethod(method: string): KvOp | undefined {
  return OPS.get(method);
}
