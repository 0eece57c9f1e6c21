import { test } from "uvu";
import * as assert from "uvu/assert";
import { encodedCommand, InvalidMessageError, RAFT_WIRE_CODECS } from "../src/index.js";

const codec = RAFT_WIRE_CODECS.AppendEntries!;
const command = { op: "put", key: "k", value: "v" };
const args = {
  term: 2,
  leaderId: 1,
  prevLogIndex: 4,
  prevLogTerm: 2,
  entries: [
    { term: 2, command },
    { term: 2, command: undefined },
  ],
  leaderCommit: 3,
};

test("AppendEntries carries each command as the bytes of its one encoding; the follower keeps them", () => {
  const compact = codec.encodeArgs(args)!;
  assert.is(compact[6], encodedCommand(command), "the proposal's encoding itself, not a new one");
  const decoded = codec.decodeArgs(compact) as typeof args;
  assert.equal(decoded, args);
  const received = decoded.entries[0]!.command;
  const kept = encodedCommand(received);
  assert.equal(kept, compact[6], "the follower's log write reuses the bytes it got");
  // Kept bytes are copies, never views pinning an encoder's buffer or a whole frame: a small
  // one lies in a slab of at most 16 KiB that holds nothing but kept encodings.
  const frame = Buffer.concat([Buffer.alloc(100), encodedCommand(received)]);
  const fromFrame = codec.decodeArgs([...compact.slice(0, 6), frame.subarray(100)]) as typeof args;
  const keptFromFrame = encodedCommand(fromFrame.entries[0]!.command);
  assert.ok(keptFromFrame.buffer !== frame.buffer, "not a view into the frame it came in");
  for (const bytes of [compact[6] as Uint8Array, kept, keptFromFrame]) {
    assert.ok(bytes.buffer.byteLength <= 16 * 1024, `a slab of ${bytes.buffer.byteLength} bytes`);
    // A Buffer travels as a plain byte string; cbor-x would tag a bare Uint8Array (and slowly).
    assert.ok(Buffer.isBuffer(bytes), "a Buffer");
  }
  const reply = { term: 2, success: false, conflictIndex: 3, conflictTerm: 1 };
  assert.equal(codec.decodeReply(codec.encodeReply(reply)!), reply);
});

test("a shape the codec does not know is left to the generic form; a malformed compact form throws", () => {
  assert.is(codec.encodeArgs({ ...args, config: [0, 1] }), undefined);
  assert.is(codec.encodeArgs({ ...args, entries: [{ term: 1, command: 1, extra: true }] }), undefined);
  assert.is(
    codec.encodeReply({ term: 1, success: true, conflictIndex: 0, conflictTerm: 0, hint: 1 }),
    undefined,
  );
  for (const bad of [
    [1, 0, 0, 0],
    [1, 0, 0, 0, 0, 1],
    [1, 0, 0, 0, 0, 1, "not bytes"],
    [1, 0, 0, 0, 0, 1, new Uint8Array([0x62, 0x61])],
  ])
    assert.throws(
      () => codec.decodeArgs(bad),
      (e: unknown) => e instanceof InvalidMessageError,
      JSON.stringify(bad),
    );
  assert.throws(
    () => codec.decodeReply([1, 2, 0, 0]),
    (e: unknown) => e instanceof InvalidMessageError,
  );
});

test.run();
