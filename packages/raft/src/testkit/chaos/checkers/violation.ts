/** What a checker found: which oracle, what it saw, and when (virtual ms). */
export interface Violation {
  readonly checker:
    | "election-safety"
    | "state-machine-safety"
    | "linearizability"
    | "acknowledged-writes"
    | "liveness"
    | "member-error"
    | "membership"
    | "client-error";
  readonly message: string;
  readonly atMs: number;
}
