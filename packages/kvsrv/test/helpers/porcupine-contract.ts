/**
 * The part of @raftkit/porcupine these tests use, declared here so the suite typechecks and runs
 * whether or not porcupine's dist has been built yet (it is loaded with a dynamic import).
 */
export interface KvInput {
  op: "get" | "put" | "append";
  key: string;
  value?: string;
}

export interface KvOutput {
  value?: string;
}

export interface Operation<I, O> {
  clientId?: number;
  input: I;
  call: number;
  output: O;
  return: number;
}

export type KvOperation = Operation<KvInput, KvOutput>;

export interface CheckOutcome {
  result: "ok" | "illegal" | "unknown";
  info: unknown;
}

export interface PorcupineApi {
  kvModel: unknown;
  checkOperationsVerbose(
    model: unknown,
    history: KvOperation[],
    options: { timeout: number },
  ): CheckOutcome | Promise<CheckOutcome>;
  writeVisualization(model: unknown, info: unknown, path?: string): string | Promise<string>;
}
