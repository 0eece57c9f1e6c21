import { test } from "uvu";
import * as assert from "uvu/assert";
import { FrameSizeError } from "../src/errors.js";
import { FrameDecoder, frame } from "../src/frame-decoder.js";

const payloads = [
  Buffer.from("a"),
  Buffer.alloc(300, 7),
  Buffer.from("hello, frames"),
  Buffer.alloc(70_000, 1),
];
const stream = Buffer.concat(payloads.map((p) => frame(p)));

/** Feeds `stream` cut at `cuts` and returns the frames, as copies. */
function decode(decoder: FrameDecoder, cuts: number[]): Buffer[] {
  const frames: Buffer[] = [];
  let from = 0;
  for (const to of [...cuts, stream.length]) {
    const error = decoder.push(stream.subarray(from, to), (f) => frames.push(Buffer.from(f)));
    assert.is(error, undefined);
    from = to;
  }
  return frames;
}

test("frame decoder: frames come out whole and in order however the stream is cut", () => {
  const ends: number[] = [];
  for (const p of payloads) ends.push((ends.at(-1) ?? 0) + 4 + p.length);
  const cutSets = [
    [], // all in one chunk
    ends.slice(0, -1), // one frame a chunk
    [1, 2, 3], // the first header byte by byte
    [6, 8, 300, 305, 306, 1000, 30_000], // headers and payloads split anywhere
    Array.from({ length: 400 }, (_, i) => i + 1), // byte by byte through the first frames
  ];
  for (const cuts of cutSets) {
    const decoder = new FrameDecoder(100_000);
    assert.equal(decode(decoder, cuts), payloads, `cuts ${cuts.slice(0, 8).join(",")}`);
    assert.is(decoder.pendingBytes, 0);
  }
});

test("frame decoder: bytes short of a frame wait, and count as pending", () => {
  const decoder = new FrameDecoder(100);
  const frames: Buffer[] = [];
  const bytes = frame(Buffer.from("abcdef"));
  assert.is(
    decoder.push(bytes.subarray(0, 7), (f) => frames.push(f)),
    undefined,
  );
  assert.is(decoder.pendingBytes, 7);
  assert.is(frames.length, 0);
  decoder.push(bytes.subarray(7), (f) => frames.push(f));
  assert.equal(frames, [Buffer.from("abcdef")]);
  assert.is(decoder.pendingBytes, 0);
});

test("frame decoder: a length of zero or over the limit is refused before its payload, after the frames before it", () => {
  for (const declared of [0, 101]) {
    const header = Buffer.alloc(4);
    header.writeUInt32BE(declared, 0);
    // Whole in one chunk, and with the header split after the good frame.
    for (const cut of [undefined, 9, 10]) {
      const decoder = new FrameDecoder(100);
      const frames: Buffer[] = [];
      const bytes = Buffer.concat([frame(Buffer.from("ok")), header]);
      const first = decoder.push(cut ? bytes.subarray(0, cut) : bytes, (f) => frames.push(f));
      const error = first ?? decoder.push(bytes.subarray(cut ?? bytes.length), (f) => frames.push(f));
      assert.instance(error, FrameSizeError, `declared ${declared}, cut ${cut}`);
      assert.equal(frames, [Buffer.from("ok")]);
    }
  }
});

test.run();
