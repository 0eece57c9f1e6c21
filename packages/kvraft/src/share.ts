import type { RequestHandler, Transport } from "@raftkit/raft";
import { opOfMethod } from "./protocol.js";

/** The two halves of one shared Transport: give `raft` to the KvRaftServer, then `listen(clients)`. */
export interface SharedTransport {
  /** For the server's raft: calls go out as they are; only non-key/value requests come in. */
  readonly raft: Transport;
  /** For `KvRaftServer.listen`: receives the `KVServer.*` requests. */
  readonly clients: Pick<Transport, "listen">;
}

/**
 * Lets raft and the key/value service share one Transport (one TCP port, say), which has a
 * single request handler: requests for kvsrv's `KV_METHODS` go to the service, all others to
 * raft. Requests that arrive before their side listens get no answer (`undefined`).
 */
export function shareTransport(transport: Transport): SharedTransport {
  let raftHandler: RequestHandler | undefined;
  let clientHandler: RequestHandler | undefined;
  transport.listen((method, args) =>
    opOfMethod(method) !== undefined ? clientHandler?.(method, args) : raftHandler?.(method, args),
  );
  const raft: Transport = {
    call: (to, method, args) => transport.call(to, method, args),
    listen: (handler) => {
      raftHandler = handler;
    },
    close: () => transport.close?.(),
  };
  return {
    raft,
    clients: {
      listen: (handler) => {
        clientHandler = handler;
      },
    },
  };
}
