/** An option of a KvRaftServer or Clerk is out of range (a bad maxRaftState, no servers, ...). */
export class KvRaftConfigError extends Error {
  override readonly name = "KvRaftConfigError";
}
