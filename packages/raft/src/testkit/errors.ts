/** A cluster check failed: a safety violation, or agreement/election did not happen in time. */
export class HarnessError extends Error {
  override readonly name = "HarnessError";
}
