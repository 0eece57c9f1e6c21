import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { request } from "node:http";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { SeededRandom, withSeed } from "@raftkit/labrpc";
import { freePorts } from "@raftkit/transport-tcp/testkit";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { ProcessCluster } from "./helpers/process-cluster.js";

// Real processes and sockets on 127.0.0.1: hostile HTTP requests against a live member's HTTP API
// while a legitimate client keeps writing and reading through it. RAFTKIT_FUZZ_REQUESTS sets how
// many (CI: 400; `npm run fuzz:http` in this package: 20,000).

const REQUESTS = Number(process.env.RAFTKIT_FUZZ_REQUESTS ?? 400);

interface Reply {
  status: number;
  body: string;
}

function http(
  port: number,
  method: string,
  path: string,
  headers: Record<string, string>,
  body?: Buffer | string,
) {
  return new Promise<Reply>((resolve) => {
    const req = request({ host: "127.0.0.1", port, method, path, headers, timeout: 20_000 }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString() }));
      res.on("error", () => resolve({ status: -1, body: "" }));
    });
    req.on("error", () => resolve({ status: -1, body: "" })); // the member hung up: fine for garbage
    req.on("timeout", () => req.destroy());
    setTimeout(() => req.destroy(), 30_000).unref();
    req.end(body);
  });
}

/** A path a client should never send: malformed escapes, prototype names, control bytes, huge. */
function hostilePath(random: SeededRandom): string {
  const pick = <T>(xs: readonly T[]) => xs[random.int(xs.length)]!;
  return pick([
    () => `/v1/keys/${pick(["%", "%E0%A4%A", "%zz", "%00", "%C0%AF", "%FF%FE"])}`,
    () => `/v1/keys/${pick(["__proto__", "constructor", "prototype", "hasOwnProperty", "toString"])}`,
    () => `/v1/keys/${"k".repeat(random.int(2) === 0 ? 8 * 1024 : 100_000)}`,
    () =>
      pick([
        "/",
        "/v1",
        "/v1/keys/",
        "/v1/keys//",
        "/../../etc/passwd",
        "//v1/keys/x",
        "/metrics?x=%",
        "/healthz#",
      ]),
    () =>
      `/v1/keys/${Array.from({ length: 1 + random.int(40) }, () => `%${random.int(256).toString(16).padStart(2, "0")}`).join("")}`,
  ])();
}

/** A body a client should never send, with the content type it claims. */
function hostileBody(random: SeededRandom): { body: Buffer | string; json: boolean } {
  switch (random.int(8)) {
    case 0:
      return { body: "[".repeat(100_000) + "]".repeat(100_000), json: true };
    case 1:
      return {
        body: '{"__proto__": {"value": "polluted"}, "constructor": {"prototype": {"x": 1}}}',
        json: true,
      };
    case 2:
      return { body: JSON.stringify({ value: [5, null, true, {}, []][random.int(5)] }), json: true };
    case 3:
      return { body: "{not json", json: true };
    case 4:
      return { body: Buffer.alloc(1 + random.int(64 * 1024), 0x61), json: random.int(2) === 0 };
    case 5:
      return { body: Buffer.from(Array.from({ length: 64 }, () => random.int(256))), json: false };
    case 6:
      return { body: JSON.stringify({ value: "x".repeat(random.int(1000)) }), json: true };
    default:
      return { body: "", json: random.int(2) === 0 };
  }
}

/** Bytes that are not HTTP at all, or HTTP with broken framing, on a raw socket. */
async function rawGarbage(port: number, random: SeededRandom): Promise<void> {
  const socket = connect({ host: "127.0.0.1", port });
  socket.on("error", () => {});
  socket.on("data", () => {});
  const closed = new Promise<void>((resolve) => socket.once("close", () => resolve()));
  const payloads = [
    () => Buffer.from(Array.from({ length: 1 + random.int(512) }, () => random.int(256))),
    () => "PUT /v1/keys/x HTTP/1.1\r\nHost: m\r\nContent-Length: 99999999999999999999\r\n\r\nabc",
    () => "POST /v1/keys/x HTTP/1.1\r\nHost: m\r\nTransfer-Encoding: chunked\r\n\r\nZZZ\r\nnot hex\r\n",
    () => `GET /v1/keys/x HTTP/1.1\r\n${"X-Big: y\r\n".repeat(5000)}\r\n`,
    () => "GET /v1/keys/x HTTP/1.1\r\nHost: m\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nhello",
    () => "CONNECT 127.0.0.1:22 HTTP/1.1\r\nHost: 127.0.0.1:22\r\n\r\n",
  ];
  socket.end(payloads[random.int(payloads.length)]!());
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([closed, new Promise((resolve) => (timer = setTimeout(resolve, 2000)))]);
  clearTimeout(timer);
  socket.destroy();
}

const peakRssKiB = (pid: number) =>
  Number(/VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1]);

test(`fuzz: ${REQUESTS} hostile HTTP requests against a live member's HTTP API; it keeps serving, never answers 500`, () =>
  withSeed(async (seed) => {
    const random = new SeededRandom(seed);
    const root = mkdtempSync(join(tmpdir(), "raftkit-fuzz-http-"));
    const [httpPort, ...ports] = await freePorts(4);
    const peers = ports.map((p) => `127.0.0.1:${p}`);
    const cluster = new ProcessCluster(
      peers,
      (i) => join(root, `data-${i}`),
      (i) => (i === 0 ? ["--http", `127.0.0.1:${httpPort}`] : []),
    );
    const statuses = new Map<number, number>();
    let fuzzing = true;
    try {
      for (let i = 0; i < 3; i++) cluster.start(i);
      await cluster.leader(20_000);
      const legit = (async () => {
        let expected = "";
        let ops = 0;
        while (fuzzing) {
          const token = `[${ops}]`;
          const put = await http(httpPort!, "POST", "/v1/keys/legit", {}, token);
          assert.is(put.status, 200, `legitimate append: ${put.status} ${put.body}`);
          expected += token;
          const get = await http(httpPort!, "GET", "/v1/keys/legit", {});
          assert.equal(JSON.parse(get.body), { key: "legit", value: expected });
          ops++;
        }
        return ops;
      })();
      const workers = Array.from({ length: 4 }, async (_, w) => {
        const mine = random.fork();
        for (let n = w; n < REQUESTS; n += 4) {
          if (mine.int(6) === 0) {
            await rawGarbage(httpPort!, mine);
            continue;
          }
          const method = ["GET", "PUT", "POST", "DELETE", "PATCH", "OPTIONS", "TRACE"][mine.int(7)]!;
          const { body, json } = hostileBody(mine);
          const headers: Record<string, string> = json ? { "content-type": "application/json" } : {};
          const path = hostilePath(mine);
          const reply = await http(httpPort!, method, path, headers, method === "GET" ? undefined : body);
          statuses.set(reply.status, (statuses.get(reply.status) ?? 0) + 1);
        }
      });
      await Promise.all(workers);
      fuzzing = false;
      const ops = await legit;
      const pid = cluster.pidOf(0)!;
      const peak = peakRssKiB(pid);
      const summary = [...statuses]
        .sort((a, b) => a[0] - b[0])
        .map(([s, n]) => `${s}: ${n}`)
        .join(", ");
      console.log(
        `fuzz-http seed=${seed}: ${REQUESTS} requests (statuses ${summary}; -1 = the member hung up); ` +
          `member alive: ${!cluster.hasExited(0)}; legitimate ops during the fuzz: ${ops}; member 0 peak RSS ${(peak / 1024).toFixed(0)} MiB`,
      );
      assert.not.ok(cluster.hasExited(0), "the member is alive");
      const internal = cluster.logOf(0).filter((l) => l.includes("HTTP 500"));
      assert.is(statuses.get(500) ?? 0, 0, `internal errors: ${internal.slice(0, 3).join("\n")}`);
      assert.ok(ops > 0, "the legitimate client was served during the fuzz");
      assert.is(JSON.parse((await http(httpPort!, "GET", "/healthz", {})).body).status, "ok");
    } finally {
      fuzzing = false;
      await cluster.stopAll();
      rmSync(root, { recursive: true, force: true });
    }
  }));

test.run();
