import { encodedCommand, RAFT_WIRE_CODECS } from "@raftkit/raft";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { type Logger, type MethodCodec, TransportConfigError } from "../src/index.js";
import { captureLog, startCluster } from "./helpers.js";

// raft's codecs are written against this package's interface without depending on it.
const raftCodecs = RAFT_WIRE_CODECS satisfies Readonly<Record<string, MethodCodec | undefined>>;

const command = { kind: "command", command: { op: "put", key: "k1", value: "v".repeat(100), seq: 7 } };
const appendEntries = () => ({
  term: 3,
  leaderId: 0,
  prevLogIndex: 41,
  prevLogTerm: 3,
  entries: [
    { term: 3, command },
    { term: 3, command: undefined }, // a no-op
  ],
  leaderCommit: 40,
});
const appendReply = { term: 3, success: true, conflictIndex: 0, conflictTerm: 0 };

/** Bytes member 0 sends and receives for one AppendEntries call to member 1 (handshake excluded). */
async function oneCall(
  codecs: { caller?: typeof raftCodecs; callee?: typeof raftCodecs; log?: Logger },
  args: unknown,
) {
  const { nodes, close } = await startCluster(2, (self) => {
    const mine = self === 0 ? codecs.caller : codecs.callee;
    return { ...(mine ? { codecs: mine } : {}), ...(codecs.log ? { log: codecs.log } : {}) };
  });
  const seen: unknown[] = [];
  nodes[1]!.listen((method, received) => {
    if (method !== "AppendEntries") return "hi";
    seen.push(received);
    return appendReply;
  });
  try {
    assert.equal(await nodes[0]!.call(1, "Connect", null), { ok: true, reply: "hi" });
    const before = nodes[0]!.stats();
    const result = await nodes[0]!.call(1, "AppendEntries", args);
    const after = nodes[0]!.stats();
    return {
      result,
      seen,
      bytes: after.bytesSent - before.bytesSent + after.bytesReceived - before.bytesReceived,
    };
  } finally {
    await close();
  }
}

test("with raft's codecs an AppendEntries and its reply arrive as sent, in far fewer bytes", async () => {
  const generic = await oneCall({}, appendEntries());
  const compact = await oneCall({ caller: raftCodecs, callee: raftCodecs }, appendEntries());
  for (const run of [generic, compact]) {
    assert.equal(run.result, { ok: true, reply: appendReply });
    assert.equal(run.seen, [appendEntries()]);
  }
  const commandBytes = encodedCommand(command).length;
  // Frames around the command: 4-byte lengths, the call's envelope, header fields, the reply.
  assert.ok(
    compact.bytes - commandBytes <= 40,
    `compact: ${compact.bytes} bytes for a ${commandBytes}-byte command`,
  );
  assert.ok(generic.bytes - compact.bytes >= 100, `generic ${generic.bytes}, compact ${compact.bytes}`);
});

test("a caller without the codec gets through in the generic form; a callee without it refuses loudly", async () => {
  const run = await oneCall({ callee: raftCodecs }, appendEntries());
  assert.equal(run.result, { ok: true, reply: appendReply });
  assert.equal(run.seen, [appendEntries()]);
  const { log, lines } = captureLog();
  const refused = await oneCall({ caller: raftCodecs, log }, appendEntries());
  assert.equal(refused.result, { ok: false });
  assert.equal(refused.seen, []);
  assert.ok(
    lines.some((l) => l.level === "error" && /unknown method id 1: register the same codecs/.test(l.message)),
    JSON.stringify(lines),
  );
});

test("arguments of a shape the codec does not know (a field added later) arrive unchanged", async () => {
  const extended = { ...appendEntries(), config: { voters: [0, 1, 2] } };
  const run = await oneCall({ caller: raftCodecs, callee: raftCodecs }, extended);
  assert.equal(run.result, { ok: true, reply: appendReply });
  assert.equal(run.seen, [extended]);
});

test("a compact reply that does not decode fails the call; nothing crashes", async () => {
  const broken: MethodCodec = {
    ...raftCodecs.AppendEntries!,
    decodeReply: () => {
      throw new Error("bad");
    },
  };
  const run = await oneCall({ caller: { AppendEntries: broken }, callee: raftCodecs }, appendEntries());
  assert.equal(run.result, { ok: false });
  assert.equal(run.seen, [appendEntries()]);
});

test("two codecs with one id are a configuration error naming both methods", async () => {
  const codec = raftCodecs.AppendEntries!;
  try {
    await startCluster(1, { codecs: { A: codec, B: codec } });
    assert.unreachable("accepted two codecs with id 1");
  } catch (error) {
    assert.instance(error, TransportConfigError);
    assert.match((error as Error).message, /codecs of A and B both have id 1/);
  }
});

test.run();
