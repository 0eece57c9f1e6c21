import { type Agent, get, request } from "node:http";

export interface JsonReply {
  status: number;
  /** The parsed body (etcd's gateway always answers JSON), or undefined if it was not JSON. */
  body: unknown;
  /** Bytes of the request and response bodies. */
  bytes: number;
}

/**
 * POSTs `payload` as JSON to `url` + `path` over `agent` (keep-alive: one connection per
 * concurrent caller, reused) and resolves with the status and parsed body. Rejects on a network
 * error or after `timeoutMs`, so no call can hang the bench.
 */
export function postJson(
  agent: Agent,
  url: URL,
  path: string,
  payload: unknown,
  timeoutMs: number,
): Promise<JsonReply> {
  const body = Buffer.from(JSON.stringify(payload));
  return new Promise((resolve, reject) => {
    const req = request(
      {
        agent,
        host: url.hostname,
        port: url.port,
        path,
        method: "POST",
        headers: { "content-type": "application/json", "content-length": body.length },
        signal: AbortSignal.timeout(timeoutMs),
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (chunk: Buffer) => chunks.push(chunk));
        res.on("error", reject);
        res.on("end", () => {
          const text = Buffer.concat(chunks);
          let parsed: unknown;
          try {
            parsed = JSON.parse(text.toString("utf8"));
          } catch {
            parsed = undefined;
          }
          resolve({ status: res.statusCode ?? 0, body: parsed, bytes: body.length + text.length });
        });
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}

/** `value[key]` when `value` is an object, else undefined (for reading untyped JSON). */
export function field(value: unknown, key: string): unknown {
  return typeof value === "object" && value !== null ? (value as Record<string, unknown>)[key] : undefined;
}

/** GETs `url` + `path` and resolves with the body as text; rejects on a non-200 answer, an error or a timeout. */
export function getText(agent: Agent, url: URL, path: string, timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = get(
      { agent, host: url.hostname, port: url.port, path, signal: AbortSignal.timeout(timeoutMs) },
      (res) => {
        let text = "";
        res.setEncoding("utf8");
        res.on("data", (chunk: string) => {
          text += chunk;
        });
        res.on("error", reject);
        res.on("end", () =>
          res.statusCode === 200
            ? resolve(text)
            : reject(new Error(`GET ${url.origin}${path}: ${res.statusCode}`)),
        );
      },
    );
    req.on("error", reject);
  });
}
