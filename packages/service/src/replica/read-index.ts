import type { RaftNode } from "@raftkit/raft";

/**
 * The node's `readIndex()` — a confirmed read index once a majority has acknowledged this leader
 * after the call — if this raft build has one; else undefined and reads go through the log.
 */
export function readIndexOf(node: RaftNode<unknown>): (() => Promise<number>) | undefined {
  const fn = (node as unknown as { readIndex?: () => Promise<number> }).readIndex;
  return typeof fn === "function" ? () => fn.call(node) : undefined;
}
