import { test } from "uvu";
import * as assert from "uvu/assert";
import { RaftCore } from "../src/index.js";
import { elect, lowRandom, TEST_CONFIG } from "./core-helpers.js";

/** A member of 3 whose own log counts toward a quorum only once `persisted` says it is durable. */
const explicitCore = () =>
  new RaftCore<string>({
    id: 0,
    peerCount: 3,
    random: lowRandom,
    now: 0,
    config: TEST_CONFIG,
    explicitDurability: true,
  });

/** Peer 1 acknowledges everything the leader holds. */
function peerAcknowledgesAll(c: RaftCore<string>): void {
  c.onAppendEntriesReply(
    1,
    {
      term: c.term,
      leaderId: 0,
      prevLogIndex: c.lastIndex,
      prevLogTerm: c.lastTerm,
      entries: [],
      leaderCommit: 0,
    },
    { term: c.term, success: true, conflictIndex: 0, conflictTerm: 0 },
    0,
  );
}

test("core: persisted(index) is monotonic: a late report of an older write takes nothing back", () => {
  const c = explicitCore();
  elect(c);
  c.propose("a");
  c.propose("b");
  c.takeReady();
  const last = c.lastIndex;
  c.persisted(last);
  c.persisted(last - 1);
  peerAcknowledgesAll(c);
  assert.is(c.commitIndex, last);
});

test("core: a truncation takes back what persisted() said of the entries it removed", () => {
  const c = explicitCore();
  const entry = (term: number, command: string) => ({ term, command });
  c.handleAppendEntries(
    {
      term: 1,
      leaderId: 1,
      prevLogIndex: 0,
      prevLogTerm: 0,
      entries: ["a", "b", "c", "d"].map((command) => entry(1, command)),
      leaderCommit: 0,
    },
    0,
  );
  c.takeReady();
  c.persisted(4);
  // A new leader replaces entries 2-4 with two of its own; that write is not durable yet.
  c.handleAppendEntries(
    {
      term: 2,
      leaderId: 2,
      prevLogIndex: 1,
      prevLogTerm: 1,
      entries: [entry(2, "x"), entry(2, "y")],
      leaderCommit: 0,
    },
    0,
  );
  c.takeReady();
  elect(c);
  c.propose("z");
  c.takeReady();
  peerAcknowledgesAll(c);
  // Only entry 1 is known durable here: the leader's copy must not count toward entries 2+.
  assert.is(c.commitIndex, 0);
  c.persisted(c.lastIndex);
  assert.is(c.commitIndex, c.lastIndex);
});

test.run();
