// Counts the frames a process writes, by kind, for the bytes-per-op breakdown in the README.
// Preload it into the bench and its members (children inherit NODE_OPTIONS):
//   FRAME_TAP_DIR=/tmp/tap NODE_OPTIONS="--import ./apps/bench/scripts/frame-tap.mjs" node apps/bench/dist/main.js ...
// Each process writes <pid>-<member|client>.json into FRAME_TAP_DIR when it exits; frame-summary.mjs
// adds them up per Submit. Every transport-tcp frame is one socket write of a 4-byte big-endian
// length and a CBOR value: [0, id, method or codec id, args] a call, [2, id, compact] a compact
// reply, [1, id, reply] a plain one, a map a handshake.
import { writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import net from "node:net";
import { join } from "node:path";

const here = createRequire(import.meta.url);
const { decode } = createRequire(here.resolve("@raftkit/transport-tcp/package.json"))("cbor-x");

const dir = process.env.FRAME_TAP_DIR;
const tally = {};

function kindOf(value) {
  if (!Array.isArray(value)) return "handshake";
  const [kind, , a] = value;
  if (kind === 0) return `call ${a}`;
  // AppendEntries' compact reply is [term, success, conflictIndex, conflictTerm]; the service
  // layer's is [0] or [0, value].
  if (kind === 2) return Array.isArray(a) && a.length === 4 ? "reply to 1" : "reply to 16-18";
  return kind === 1 ? "plain reply" : "error reply";
}

function count(chunk) {
  if (!Buffer.isBuffer(chunk) || chunk.length <= 4 || chunk.readUInt32BE(0) !== chunk.length - 4) return;
  let value;
  try {
    value = decode(chunk.subarray(4));
  } catch {
    return;
  }
  const kind = kindOf(value);
  tally[kind] ??= { frames: 0, bytes: 0, entries: 0 };
  const t = tally[kind];
  t.frames++;
  t.bytes += chunk.length;
  // A compact AppendEntries: [0, id, 1, [term, leaderId, prevIndex, prevTerm, commit, t1, c1, ...]].
  if (kind === "call 1" && Array.isArray(value[3])) t.entries += (value[3].length - 5) / 2;
}

const write = net.Socket.prototype.write;
net.Socket.prototype.write = function (chunk, ...rest) {
  count(chunk);
  return write.call(this, chunk, ...rest);
};

process.on("exit", () => {
  if (!dir) return;
  const role = process.argv.includes("serve") ? "member" : "client";
  writeFileSync(join(dir, `${process.pid}-${role}.json`), JSON.stringify(tally));
});
