import { test } from "uvu";
import * as assert from "uvu/assert";
import {
  type AppendEntriesArgs,
  type InstallSnapshotArgs,
  type OutgoingMessage,
  ProposalTooLargeError,
  type RaftConfig,
  RaftCore,
  UncommittedLimitError,
  votersOnly,
} from "../src/index.js";
import { appendTo, elect, lowRandom, TEST_CONFIG, throwsA } from "./core-helpers.js";

/** Flow-control limits small enough to see; an entry's size is its command's length. */
const LIMITS = {
  maxMessageBytes: 250,
  maxProposalBytes: 250,
  maxInflightMessages: 4,
  maxInflightBytes: 600,
  maxUncommittedBytes: 500,
};

function leader(config: Partial<RaftConfig> = {}, log: string[] = []) {
  const c = new RaftCore<string>({
    id: 0,
    peerCount: 3,
    random: lowRandom,
    now: 0,
    config: { ...TEST_CONFIG, ...LIMITS, ...config },
    entryBytes: (entry) => entry.command.length,
    initial: {
      hardState: { term: 1, votedFor: null },
      entries: log.map((command) => ({ term: 1, command })),
    },
  });
  const probes = elect(c);
  return { c, probes };
}

const ok = (term: number) => ({ term, success: true, conflictIndex: 0, conflictTerm: 0 });
/** A follower's refusal that sends the leader back to index 1 (its log has nothing it can match). */
const fromTheStart = (term: number) => ({ term, success: false, conflictIndex: 1, conflictTerm: 0 });
const appendsTo = (messages: readonly OutgoingMessage<string>[], to: number) =>
  messages.flatMap((m) => (m.to === to && m.method === "AppendEntries" ? [m.args] : []));
const snapshotsTo = (messages: readonly OutgoingMessage<string>[], to: number) =>
  messages.flatMap((m) => (m.to === to && m.method === "InstallSnapshot" ? [m.args] : []));
const bytesOf = (args: AppendEntriesArgs<string>) => args.entries.reduce((n, e) => n + e.command.length, 0);
const entryCounts = (sent: readonly AppendEntriesArgs<string>[]) => sent.map((a) => a.entries.length);

/** What the leader sends once its next wakeup (a heartbeat) comes. */
function atNextHeartbeat(c: RaftCore<string>): readonly OutgoingMessage<string>[] {
  c.tick(c.nextWakeup());
  return c.takeReady().messages;
}

/** A fresh member 1 (a follower), to receive a leader's messages. */
const follower1 = () =>
  new RaftCore<string>({ id: 1, peerCount: 3, random: lowRandom, now: 0, config: TEST_CONFIG });

/** A leader whose follower 1 acknowledged the probe: it is in replicate mode. */
function replicating(config: Partial<RaftConfig> = {}) {
  const { c, probes } = leader(config);
  c.onAppendEntriesReply(1, appendTo(probes, 1), ok(c.term), 0);
  c.takeReady();
  return c;
}

test("flow: AppendEntries batches are capped by bytes as well as by count", () => {
  const c = replicating({ maxInflightMessages: 100, maxInflightBytes: 10_000, maxUncommittedBytes: 10_000 });
  for (let i = 0; i < 10; i++) c.propose("x".repeat(100));
  const sent = appendsTo(c.takeReady().messages, 1);
  assert.equal(entryCounts(sent), [2, 2, 2, 2, 2]);
  for (const args of sent) assert.ok(bytesOf(args) <= LIMITS.maxMessageBytes);
  const byCount = replicating({
    maxEntriesPerMessage: 3,
    maxInflightMessages: 100,
    maxUncommittedBytes: 10_000,
  });
  for (let i = 0; i < 7; i++) byCount.propose("y");
  assert.equal(entryCounts(appendsTo(byCount.takeReady().messages, 1)), [3, 3, 1]);
});

test("flow: an entry larger than the message cap still goes, alone", () => {
  const { c, probes } = leader({}, ["a", "x".repeat(400), "b"]);
  c.onAppendEntriesReply(1, appendTo(probes, 1), fromTheStart(c.term), 0);
  const sent = appendsTo(c.takeReady().messages, 1);
  assert.equal(
    sent.map((a) => a.entries.map((e) => e.command.length)),
    [[1]],
  );
  c.onAppendEntriesReply(1, sent[0]!, ok(c.term), 0);
  assert.equal(
    appendsTo(c.takeReady().messages, 1).map((a) =>
      a.entries.map((e) => (e.command === undefined ? "no-op" : e.command.length)),
    ),
    [[400], [1, "no-op"]], // the leader's no-op of its term follows its log
  );
});

test("flow: a proposal over maxProposalBytes is refused up front with a typed error", () => {
  const { c } = leader();
  const before = c.lastIndex;
  throwsA(() => c.propose("x".repeat(251)), ProposalTooLargeError);
  try {
    c.propose("x".repeat(300));
  } catch (error) {
    assert.is((error as Error).message.startsWith("value too large: 300 bytes, limit 250"), true);
    assert.is((error as ProposalTooLargeError).code, "ERR_RAFT_PROPOSAL_TOO_LARGE");
  }
  assert.is(c.lastIndex, before);
  assert.is(c.propose("x".repeat(250)).isLeader, true);
});

test("flow: in replicate mode the calls in flight are capped by count and by bytes", () => {
  const byBytes = replicating({ maxUncommittedBytes: 100_000 });
  for (let i = 0; i < 20; i++) byBytes.propose("x".repeat(100));
  // 600 bytes in flight stop the window after the third 200-byte batch (it may overshoot by one).
  const sent = appendsTo(byBytes.takeReady().messages, 1);
  assert.is(sent.length, 3);
  assert.equal(byBytes.inflight(1), { messages: 3, bytes: 600 });
  // A reply frees its slot: one more batch goes.
  byBytes.onAppendEntriesReply(1, sent[0]!, ok(byBytes.term), 0);
  assert.is(appendsTo(byBytes.takeReady().messages, 1).length, 1);

  const byCount = replicating({ maxInflightBytes: 100_000, maxUncommittedBytes: 100_000 });
  for (let i = 0; i < 20; i++) {
    byCount.propose("y");
    byCount.takeReady();
  }
  assert.equal(byCount.inflight(1), { messages: LIMITS.maxInflightMessages, bytes: 4 });
});

test("flow: a full window sends only an empty heartbeat, which does not count", () => {
  const c = replicating({ maxUncommittedBytes: 100_000 });
  for (let i = 0; i < 20; i++) c.propose("x".repeat(100));
  c.takeReady();
  assert.equal(entryCounts(appendsTo(atNextHeartbeat(c), 1)), [0]);
  assert.is(c.inflight(1).messages, 3);
});

test("flow: probe mode sends one probe at a time; a failed one goes again only at the next heartbeat", () => {
  const { c, probes } = leader({}, ["a", "b"]);
  c.onAppendEntriesReply(1, appendTo(probes, 1), fromTheStart(c.term), 0);
  const probe = appendTo(c.takeReady().messages, 1);
  assert.is(probe.entries.length, 3); // a, b and the leader's no-op
  assert.is(c.inflight(1).messages, 1);
  c.propose("c");
  // Neither a proposal nor a heartbeat sends a second probe with entries while one is unanswered;
  // the heartbeat is an empty probe.
  const whileOut = appendsTo(atNextHeartbeat(c), 1);
  assert.equal(
    whileOut.map((a) => [a.entries.length, a.prevLogIndex]),
    [[0, 0]],
  );
  assert.is(c.inflight(1).messages, 1);
  c.onCallFailed({ to: 1, method: "AppendEntries", args: probe });
  assert.equal(appendsTo(c.takeReady().messages, 1), []);
  assert.equal(entryCounts(appendsTo(atNextHeartbeat(c), 1)), [4]);
  assert.is(c.inflight(1).messages, 1);
});

test("flow: a failed call in replicate mode frees its slot and sends the follower back to probing", () => {
  const c = replicating({ maxUncommittedBytes: 100_000 });
  c.propose("x".repeat(100));
  const [batch] = appendsTo(c.takeReady().messages, 1);
  c.onCallFailed({ to: 1, method: "AppendEntries", args: batch! });
  assert.equal(c.inflight(1), { messages: 0, bytes: 0 });
  assert.equal(entryCounts(appendsTo(atNextHeartbeat(c), 1)), [1]);
});

test("flow: past maxUncommittedBytes proposals are refused (retryable) until commits catch up", () => {
  const c = replicating({ maxInflightMessages: 100 });
  const sent: AppendEntriesArgs<string>[] = [];
  for (let i = 0; i < 5; i++) {
    c.propose("x".repeat(100));
    sent.push(...appendsTo(c.takeReady().messages, 1));
  }
  assert.is(c.uncommitted, 500);
  let refused: unknown;
  try {
    c.propose("y");
  } catch (error) {
    refused = error;
  }
  assert.instance(refused, UncommittedLimitError);
  assert.is((refused as UncommittedLimitError).retryable, true);
  assert.is((refused as UncommittedLimitError).uncommittedBytes, 500);
  for (const args of sent) c.onAppendEntriesReply(1, args, ok(c.term), 0);
  assert.is(c.commitIndex, c.lastIndex);
  assert.is(c.uncommitted, 0);
  assert.is(c.propose("y").isLeader, true);
});

/** A leader that compacted `data` and a follower 1 that must be sent it. */
function snapshotSender(data: Uint8Array) {
  const { c, probes } = leader({}, ["a", "b", "c"]);
  c.propose("d");
  c.takeReady();
  c.onAppendEntriesReply(
    2,
    { ...appendTo(probes, 2), entries: [{ term: c.term, command: "d" }] },
    ok(c.term),
    0,
  );
  c.takeReady();
  c.compact(c.commitIndex, data);
  c.takeReady();
  c.onAppendEntriesReply(1, appendTo(probes, 1), fromTheStart(c.term), 0);
  return c;
}

test("flow: a snapshot goes in chunks of maxMessageBytes, one at a time, and arrives whole", () => {
  const data = Uint8Array.from({ length: 1000 }, (_, i) => i % 251);
  const c = snapshotSender(data);
  const follower = follower1();
  const offsets: number[] = [];
  let chunk = snapshotsTo(c.takeReady().messages, 1)[0];
  while (chunk) {
    offsets.push(chunk.offset);
    assert.ok(chunk.data.length <= LIMITS.maxMessageBytes);
    // While a chunk is unanswered, a heartbeat sends no other chunk.
    assert.equal(snapshotsTo(atNextHeartbeat(c), 1), []);
    const reply = follower.handleInstallSnapshot(chunk, 0);
    c.onInstallSnapshotReply(1, chunk, reply, 0);
    chunk = snapshotsTo(c.takeReady().messages, 1)[0];
  }
  assert.equal(offsets, [0, 250, 500, 750]);
  const installed = follower.takeReady();
  assert.equal(installed.writes[0], {
    kind: "snapshot",
    meta: { index: 4, term: 2, config: votersOnly([0, 1, 2]) },
    data,
  });
  // No chunk left in flight: only the 1-byte probe sent before the snapshot, never answered.
  assert.equal(c.inflight(1), { messages: 1, bytes: 1 });
});

test("flow: an unanswered chunk is sent again only after its call failed, at the next heartbeat", () => {
  const c = snapshotSender(new Uint8Array(600));
  const [first] = snapshotsTo(c.takeReady().messages, 1);
  for (let i = 0; i < 10; i++) {
    assert.equal(snapshotsTo(atNextHeartbeat(c), 1), []);
  }
  c.onCallFailed({ to: 1, method: "InstallSnapshot", args: first! });
  assert.equal(snapshotsTo(c.takeReady().messages, 1), []);
  assert.equal(
    snapshotsTo(atNextHeartbeat(c), 1).map((a) => a.offset),
    [0],
  );
});

test("flow: a follower takes chunks only in order and from one snapshot; it says where to go on", () => {
  const follower = follower1();
  const chunk = (offset: number, term = 2, done = false): InstallSnapshotArgs => ({
    term,
    leaderId: 0,
    lastIncludedIndex: 4,
    lastIncludedTerm: 1,
    offset,
    data: new Uint8Array(10).fill(term),
    done,
  });
  const next = (args: InstallSnapshotArgs) => follower.handleInstallSnapshot(args, 0).nextOffset;
  assert.is(next(chunk(10)), 0); // nothing started: from the beginning
  assert.is(next(chunk(0)), 10);
  assert.is(next(chunk(20)), 10); // a gap: resend from 10
  assert.is(next(chunk(10)), 20);
  assert.is(next(chunk(20, 3)), 0); // another leader's snapshot: its bytes are never mixed in
  assert.is(next(chunk(0, 3)), 10);
  const reply = follower.handleInstallSnapshot(chunk(10, 3, true), 0);
  assert.equal(reply, { term: 3, installed: true, nextOffset: 0 });
  assert.equal(follower.takeReady().writes[0], {
    kind: "snapshot",
    meta: { index: 4, term: 1, config: votersOnly([0, 1, 2]) },
    data: new Uint8Array(20).fill(3),
  });
});

for (const stopsAfterProbe of [false, true]) {
  const when = stopsAfterProbe ? "stops answering once replicating" : "never answers";
  test(`flow: a follower that ${when} costs the leader a bounded number of bytes in flight`, () => {
    const { c, probes } = leader({ maxUncommittedBytes: 100_000 });
    c.onAppendEntriesReply(1, appendTo(probes, 1), ok(c.term), 0);
    if (stopsAfterProbe) c.onAppendEntriesReply(2, appendTo(probes, 2), ok(c.term), 0);
    const bound = stopsAfterProbe ? LIMITS.maxInflightBytes + LIMITS.maxMessageBytes : LIMITS.maxMessageBytes;
    let peak = 0;
    for (let i = 0; i < 2000; i++) {
      c.propose("x".repeat(100));
      for (const args of appendsTo(c.takeReady().messages, 1)) c.onAppendEntriesReply(1, args, ok(c.term), 0);
      if (i % 50 === 0) c.tick(c.nextWakeup());
      peak = Math.max(peak, c.inflight(2).bytes);
      assert.ok(c.inflight(2).messages <= (stopsAfterProbe ? LIMITS.maxInflightMessages : 1));
    }
    assert.is(c.commitIndex, c.lastIndex);
    assert.ok(peak <= bound, `peak ${peak} bytes in flight to the silent follower, bound ${bound}`);
    assert.ok(c.inflight(2).messages > 0);
  });
}

test.run();
