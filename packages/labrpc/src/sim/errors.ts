/** The simulated body has not finished, yet nothing is scheduled that could ever let it finish. */
export class SimulationStalledError extends Error {
  override readonly name = "SimulationStalledError";
  constructor(
    readonly virtualTimeMs: number,
    readonly seed: number,
  ) {
    super(
      `simulation stalled at virtual time ${virtualTimeMs} ms (seed=${seed}): ` +
        "the body has not finished and no timer is pending, so it never will",
    );
  }
}

/** The simulated body ran past the virtual time limit given to `run()`. */
export class SimulationTimeLimitError extends Error {
  override readonly name = "SimulationTimeLimitError";
  constructor(
    readonly limitMs: number,
    readonly seed: number,
  ) {
    super(`simulation passed its virtual time limit of ${limitMs} ms (seed=${seed}) without finishing`);
  }
}
