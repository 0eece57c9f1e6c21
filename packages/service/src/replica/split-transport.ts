import { RAFT_METHODS, type RequestHandler, type Transport } from "@raftkit/raft";

/** The two halves of one Transport: give `raft` to the replica's RaftNode, `services` your handler. */
export interface SplitTransport {
  /** For raft: calls go out as they are; only raft's own methods come in. */
  readonly raft: Transport;
  /** Receives every other method: the service's (`serviceHandler`) and any of your own. */
  readonly services: Pick<Transport, "listen">;
}

const RAFT = new Set<string>(Object.values(RAFT_METHODS));

/**
 * Serves raft and the service's own RPC methods on one Transport (one TCP port, one labrpc
 * server), which has a single request handler: raft's methods (`RequestVote`, `AppendEntries`,
 * `InstallSnapshot`) go to raft, everything else to the services' handler. A request that arrives
 * before its side listens gets no answer (`undefined`).
 */
export function splitTransport(transport: Transport): SplitTransport {
  let raftHandler: RequestHandler | undefined;
  let servicesHandler: RequestHandler | undefined;
  transport.listen((method, args) => (RAFT.has(method) ? raftHandler : servicesHandler)?.(method, args));
  return {
    raft: {
      call: (to, method, args) => transport.call(to, method, args),
      listen: (handler) => {
        raftHandler = handler;
      },
      close: () => transport.close?.(),
    },
    services: {
      listen: (handler) => {
        servicesHandler = handler;
      },
    },
  };
}
