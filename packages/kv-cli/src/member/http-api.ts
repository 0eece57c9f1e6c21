import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { createServer as createHttpsServer } from "node:https";
import type { TLSSocket } from "node:tls";
import type { Clerk } from "@raftkit/kvraft";
import { identitiesIn, parseAddress, type TlsOptions } from "@raftkit/transport-tcp";
import type { Logger } from "pino";
import type { MemberStatus } from "../admin.js";
import type { ClerkPool } from "./clerk-pool.js";
import type { MemberMetrics } from "./metrics.js";

export interface HttpApiOptions {
  /** host:port to listen on. */
  listen: string;
  clerks: ClerkPool;
  metrics: MemberMetrics;
  status: () => MemberStatus;
  /** Largest request body accepted, in bytes. */
  maxBodyBytes: number;
  /** How long a key operation may take before it is answered 503. */
  timeoutMs: number;
  /**
   * Why a majority of the members cannot be reached from here (one line per unreachable peer),
   * or undefined while a majority can: a request then fails fast with 503 "no quorum".
   */
  noQuorum?: () => string[] | undefined;
  log: Logger;
  /**
   * HTTPS with client certificates: every request must present a certificate from the cluster's
   * CA naming a raftkit identity of `cluster` (a client's or a member's), as on the member port.
   */
  tls?: { options: TlsOptions; cluster: string };
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly error: string,
    message: string,
  ) {
    super(message);
  }
}

const KEY_PATH = /^\/v1\/keys\/(.+)$/;
const OPS: Readonly<Record<string, string>> = { GET: "get", PUT: "put", POST: "append", DELETE: "delete" };

/**
 * The member's HTTP endpoint: `/v1/keys/<key>` (GET, PUT, POST = append, DELETE; linearizable,
 * through the cluster's leader), `/metrics` (Prometheus) and `/healthz`. Answers are JSON.
 */
export async function startHttpApi(options: HttpApiOptions): Promise<Server> {
  const handle = (request: IncomingMessage, response: ServerResponse) => {
    Promise.resolve()
      .then(() => authorize(request, options))
      .then(() => route(request, response, options))
      .catch((error: unknown) => {
        // The client hung up mid-request: nobody is left to answer, and it is not our failure.
        if (request.destroyed && (error as { code?: unknown }).code === "ECONNRESET") return;
        const failure =
          error instanceof HttpError
            ? error
            : new HttpError(500, "internal", error instanceof Error ? error.message : String(error));
        if (failure.status >= 500)
          options.log.warn({ url: request.url }, `HTTP ${failure.status}: ${failure.message}`);
        send(response, failure.status, { error: failure.error, message: failure.message });
      });
  };
  const tls = options.tls?.options;
  const server: Server = tls
    ? createHttpsServer({ ...tls, requestCert: true, rejectUnauthorized: true }, handle)
    : createServer(handle);
  server.on("tlsClientError", (error: Error, socket: TLSSocket) =>
    options.log.warn(
      `HTTP API: TLS handshake refused${socket.remoteAddress ? ` from ${socket.remoteAddress}:${socket.remotePort}` : ""}: ${error.message}`,
    ),
  );
  const { host, port } = parseAddress(options.listen);
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => resolve());
  });
  return server;
}

/** With TLS, the client's certificate (already verified against the CA) must name who it is. */
function authorize(request: IncomingMessage, options: HttpApiOptions): void {
  if (!options.tls) return;
  const { cluster } = options.tls;
  const cert = (request.socket as TLSSocket).getPeerCertificate();
  if (identitiesIn(cert?.subjectaltname, cluster).length > 0) return;
  options.log.warn(`HTTP API: refused a certificate naming no raftkit identity for cluster "${cluster}"`);
  throw new HttpError(
    403,
    "forbidden",
    `the client certificate names no raftkit identity for cluster "${cluster}" (a SAN URI raftkit://${cluster}/client/<name>)`,
  );
}

function send(response: ServerResponse, status: number, body: unknown): void {
  const text = `${JSON.stringify(body)}\n`;
  response.writeHead(status, {
    "content-type": "application/json",
    "content-length": Buffer.byteLength(text),
  });
  response.end(text);
}

async function route(
  request: IncomingMessage,
  response: ServerResponse,
  options: HttpApiOptions,
): Promise<void> {
  const url = new URL(request.url ?? "/", "http://member");
  if (url.pathname === "/metrics" && request.method === "GET") {
    const text = await options.metrics.registry.metrics();
    response.writeHead(200, { "content-type": options.metrics.registry.contentType });
    response.end(text);
    return;
  }
  if (url.pathname === "/healthz" && request.method === "GET") {
    const s = options.status();
    const healthy = s.isLeader || (s.leaderId !== undefined && (s.lastContactMs ?? Infinity) < 5000);
    send(response, healthy ? 200 : 503, {
      status: healthy ? "ok" : "no-leader",
      member: s.id,
      role: s.role,
      term: s.term,
      leader: s.leaderId ?? null,
    });
    return;
  }
  const match = KEY_PATH.exec(url.pathname);
  if (!match) throw new HttpError(404, "not_found", `no such endpoint: ${url.pathname} (try /v1/keys/<key>)`);
  const op = OPS[request.method ?? ""];
  if (!op)
    throw new HttpError(405, "method_not_allowed", `${request.method} is not GET, PUT, POST or DELETE`);
  const key = decodeKey(match[1]!);
  const value = op === "put" || op === "append" ? await body(request, options.maxBodyBytes) : "";
  const code = await keyOperation(op, key, value, options, response);
  options.metrics.httpRequests.inc({ op, code: String(code) });
}

async function keyOperation(
  op: string,
  key: string,
  value: string,
  options: HttpApiOptions,
  response: ServerResponse,
): Promise<number> {
  const noQuorum = new AbortController();
  const signal = AbortSignal.any([AbortSignal.timeout(options.timeoutMs), noQuorum.signal]);
  // After a second without an answer, ask whether a majority is reachable at all.
  const look = setTimeout(() => {
    const problems = options.noQuorum?.();
    if (problems) noQuorum.abort(new HttpError(503, "no_quorum", `no quorum: ${problems.join("; ")}`));
  }, 1000);
  const run = async (clerk: Clerk): Promise<string | undefined> => {
    if (op === "get") return clerk.lookup(key, { signal });
    if (op === "put") await clerk.put(key, value, { signal });
    else if (op === "append") await clerk.append(key, value, { signal });
    else await clerk.delete(key, { signal });
    return undefined;
  };
  let result: string | undefined;
  try {
    result = await options.clerks.use(run);
  } catch (error) {
    if (!signal.aborted) throw error;
    if (noQuorum.signal.aborted) throw noQuorum.signal.reason;
    throw new HttpError(
      503,
      "unavailable",
      `no leader answered within ${options.timeoutMs} ms (no quorum, or an election in progress); retry`,
    );
  } finally {
    clearTimeout(look);
  }
  if (op === "get" && result === undefined) {
    send(response, 404, { error: "not_found", message: `no such key: ${JSON.stringify(key)}`, key });
    return 404;
  }
  send(response, 200, op === "get" ? { key, value: result } : { ok: true });
  return 200;
}

/** The key from its percent-encoded path segment; bad encoding is the client's error (400). */
function decodeKey(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw new HttpError(
      400,
      "bad_request",
      `the key "${segment.slice(0, 100)}" is not valid percent-encoded UTF-8`,
    );
  }
}

/** The request body as UTF-8 text: the value, or `{"value": ...}` with a JSON content type. */
async function body(request: IncomingMessage, maxBytes: number): Promise<string> {
  const tooLarge = () =>
    new HttpError(
      413,
      "value_too_large",
      `value too large: over the limit of ${maxBytes} bytes (--max-message-bytes)`,
    );
  // The rest of the body is read and dropped, so the client sees the answer, not a reset.
  if (Number(request.headers["content-length"]) > maxBytes) {
    request.resume();
    throw tooLarge();
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size <= maxBytes) chunks.push(chunk as Buffer);
  }
  if (size > maxBytes) throw tooLarge();
  const text = Buffer.concat(chunks).toString("utf8");
  if (!(request.headers["content-type"] ?? "").startsWith("application/json")) return text;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new HttpError(400, "bad_request", 'a JSON body must be {"value": "<string>"}');
  }
  const v = (parsed as { value?: unknown } | null)?.value;
  if (typeof v !== "string")
    throw new HttpError(400, "bad_request", 'a JSON body must be {"value": "<string>"}');
  return v;
}
