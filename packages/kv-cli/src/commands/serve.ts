import type { Server } from "node:http";
import type { Server as TlsServer } from "node:tls";
import type { KvRaftEntry } from "@raftkit/kvraft";
import { Clerk, KvRaftServer } from "@raftkit/kvraft";
import { realClock, realRandom } from "@raftkit/labrpc";
import { FilePersister } from "@raftkit/persister-file";
import { membersOf, RAFT_WIRE_CODECS, type RaftNode } from "@raftkit/raft";
import {
  type MembersView,
  SERVICE_METHODS,
  SERVICE_WIRE_CODECS,
  type ServerEnd,
  splitTransport,
} from "@raftkit/service";
import { parseAddress, TcpTransport } from "@raftkit/transport-tcp";
import { ADMIN_STATUS, type MemberStatus } from "../admin.js";
import { PortInUseError } from "../errors.js";
import { ClerkPool } from "../member/clerk-pool.js";
import { LeaderContact } from "../member/contact.js";
import { startHttpApi } from "../member/http-api.js";
import { memberLogger } from "../member/logger.js";
import { AddressBook, addressRefusal, followMembership, withKnownAddresses } from "../member/membership.js";
import { MemberMetrics } from "../member/metrics.js";
import { quorumProblems } from "../member/quorum.js";
import { watchRole } from "../member/role-watch.js";
import { memberStatus } from "../member/status.js";
import type { ServeOptions } from "../options.js";
import { senderRefusal } from "../sender.js";
import { plaintextWarning, readTls } from "../tls.js";

/**
 * Runs one member until SIGINT or SIGTERM: raft's RPCs, the clients' requests and Admin.Status
 * share one TCP port; state lives in a FilePersister under `--data`; `--http` adds the HTTP API,
 * metrics and health check.
 */
export async function serve(command: ServeOptions): Promise<void> {
  const log = memberLogger(command);
  // Listen for signals first: a stop requested while starting up still shuts down cleanly.
  let stopSignal: string | undefined;
  let wake = () => {};
  const onSignal = (signal: string) => {
    stopSignal ??= signal;
    wake();
  };
  process.once("SIGINT", () => onSignal("SIGINT"));
  process.once("SIGTERM", () => onSignal("SIGTERM"));

  const persister = await FilePersister.open<KvRaftEntry>(command.data, { sync: command.sync });
  const tcp = new TcpTransport({
    cluster: command.cluster,
    self: command.id,
    peers: command.peers,
    ...(command.listen ? { listen: command.listen } : {}),
    maxFrameBytes: command.maxMessageBytes,
    codecs: { ...RAFT_WIRE_CODECS, ...SERVICE_WIRE_CODECS },
    ...(command.tls ? { tls: readTls(command.tls) } : {}),
    // A client certificate may use the key/value service, read the status and run the
    // operator's `member` commands (with TLS, hand client certificates to operators only).
    clientMethods: [...Object.values(SERVICE_METHODS), ADMIN_STATUS],
    log: (level, message) => {
      // A peer that is down is routine (info); a refused handshake means the configuration
      // disagrees between members, and is logged as the transport rates it.
      if (level === "info") log.debug(message);
      else log[level](message);
    },
  });
  const contact = new LeaderContact();
  const book = new AddressBook(command.peers);
  let status: () => MemberStatus = () => {
    throw new Error("not started");
  };
  const shared = splitTransport({
    call: (to, method, args) => tcp.call(to, method, args),
    listen: (handler) => {
      const observed = contact.observe((method, args) => {
        if (method === ADMIN_STATUS) return status();
        if (method === SERVICE_METHODS.members)
          return Promise.resolve(handler(method, args)).then((reply) => withKnownAddresses(reply, book));
        // An address other members must connect to is checked before raft records it.
        if (method === SERVICE_METHODS.changeMembership) {
          const refusal = addressRefusal(args);
          if (refusal) return refusal;
        }
        return handler(method, args);
      });
      tcp.listen((method, args, caller) => {
        // A forged sender is refused before it can count as contact from the leader.
        const refusal = senderRefusal(method, args, caller);
        if (refusal) throw new Error(refusal);
        return observed(method, args);
      });
    },
  });
  const server = new KvRaftServer({
    id: command.id,
    // A founder starts the cluster with --peers' members; a joining member knows none until added.
    ...(command.join ? { members: [] } : { peerCount: command.peers.length }),
    transport: shared.raft,
    persister,
    clock: realClock,
    random: realRandom,
    maxRaftState: command.maxRaftState,
    requestTimeoutMs: command.requestTimeoutMs,
    reads: command.reads,
    raftConfig: {
      heartbeatIntervalMs: command.heartbeatMs,
      electionTimeoutMinMs: command.electionTimeoutMs.min,
      electionTimeoutMaxMs: command.electionTimeoutMs.max,
    },
    onError: (error) => {
      log.fatal(`stopping: ${error instanceof Error ? error.message : String(error)}`);
      process.exit(1);
    },
  });
  server.listen(shared.services);
  status = () => memberStatus(server, tcp, contact, book.list());
  const stopFollowing = followMembership(server.raft as RaftNode<unknown>, tcp, book, (m) => log.info(m));
  server.raft.addEventListener("removed", () => {
    log.warn(`member ${command.id} was removed from the cluster's configuration: stopping`);
    onSignal("removed");
  });
  // A listener that cannot start stops everything already running (raft's timers, outgoing
  // links), or the process would go on as a ghost member that churns the leader and ignores the
  // first SIGTERM.
  const startOrStop = async <T>(start: () => Promise<T>, address: string | undefined): Promise<T> => {
    try {
      return await start();
    } catch (error) {
      server.kill();
      await tcp.close();
      await persister.close();
      if ((error as NodeJS.ErrnoException).code !== "EADDRINUSE") throw error;
      throw new PortInUseError(address ?? "the address");
    }
  };
  const bound = await startOrStop(() => tcp.start(), command.listen ?? command.peers[command.id]);
  const what = command.join
    ? `member ${command.id}, joining (add it with raftkit-kv member add ${command.id} <its address>),`
    : `member ${command.id} of ${command.peers.length}`;
  log.info(
    { advertised: command.peers[command.id], data: command.data },
    `${what} serving on ${bound?.host}:${bound?.port}` +
      `${command.tls ? " with mutual TLS" : ""}, data in ${command.data}`,
  );
  const warning = plaintextWarning(bound?.host ?? "", command.tls);
  if (warning) log.warn(warning);
  const tlsFiles = command.tls;
  let http: Server | undefined;
  const reload = () => {
    if (!tlsFiles) return log.warn("SIGHUP: no TLS to reload (started without --tls-cert)");
    try {
      const material = readTls(tlsFiles);
      tcp.updateTls(material);
      (http as TlsServer | undefined)?.setSecureContext({ ...material });
      log.info(`SIGHUP: reloaded TLS from ${tlsFiles.cert}, ${tlsFiles.key}, ${tlsFiles.ca}`);
    } catch (error) {
      // A file missing or half-written (a rotation in progress): keep serving with what we have.
      log.error(`SIGHUP: kept the current TLS material: ${(error as Error).message}`);
    }
  };
  process.on("SIGHUP", reload);
  const httpAt = command.http;
  if (httpAt) {
    const metrics = new MemberMetrics(() => status());
    // The member's own end calls its server directly; the others go over TCP, to the addresses
    // this member follows from the configuration (not --peers: every founder may be gone). A
    // clerk told of a leader it has no end for takes the members of both configurations, the
    // one the answering member showed and this member's (endpoint sync).
    const endOf = (id: number): ServerEnd => ({
      id,
      call: async (method: string, args: unknown) =>
        id === command.id
          ? { ok: true as const, reply: await server.handle(method, args) }
          : tcp.call(id, method, args),
    });
    const endsFor = (view?: MembersView) => {
      const ids = new Set([command.id, ...membersOf(server.raft.membership)]);
      for (const id of view ? membersOf(view.membership) : []) ids.add(id);
      return [...ids].map(endOf);
    };
    http = await startOrStop(
      () =>
        startHttpApi({
          listen: httpAt,
          clerks: new ClerkPool(() => new Clerk(endsFor(), { endsFor }), 32),
          metrics,
          status: () => status(),
          maxBodyBytes: command.maxMessageBytes,
          timeoutMs: command.timeoutMs,
          noQuorum: () => quorumProblems(command.id, server.raft.membership, (id) => tcp.peerFailure(id)),
          log,
          ...(command.tls ? { tls: { options: readTls(command.tls), cluster: command.cluster } } : {}),
        }),
      httpAt,
    );
    const scheme = command.tls ? "https" : "http";
    log.info(`HTTP API, /metrics and /healthz on ${scheme}://${httpAt}`);
    const httpWarning = plaintextWarning(parseAddress(httpAt).host, command.tls, "the HTTP API");
    if (httpWarning) log.warn(httpWarning);
  }
  const stopWatching = watchRole(server, () => book.list(), log);

  if (!stopSignal) await new Promise<void>((resolve) => (wake = resolve));
  log.info(`${stopSignal}: shutting down`);
  await handOverLeadership(server, log);
  stopWatching();
  stopFollowing();
  process.off("SIGHUP", reload);
  if (http) {
    http.closeAllConnections();
    await new Promise<void>((resolve) => http.close(() => resolve()));
  }
  server.kill();
  await tcp.close();
  await persister.close();
  log.info("stopped cleanly");
}

/**
 * A leader about to stop hands its leadership to an up-to-date member first, so the cluster
 * goes on at once instead of waiting an election timeout for the missing heartbeats. Bounded by
 * raft: a transfer that has not completed within one election timeout is given up.
 */
async function handOverLeadership(server: KvRaftServer, log: ReturnType<typeof memberLogger>): Promise<void> {
  if (!server.raft.getState().isLeader) return;
  try {
    const to = await server.raft.transferLeadership();
    log.info(`handed leadership to member ${to} before stopping`);
  } catch (error) {
    log.warn(`stopping without handing over leadership: ${(error as Error).message}`);
  }
}
