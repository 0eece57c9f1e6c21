export { assertLinearizable, NotLinearizableError } from "./assert.js";
export {
  checkEvents,
  checkEventsAsync,
  checkEventsVerbose,
  checkEventsVerboseAsync,
  checkOperations,
  checkOperationsAsync,
  checkOperationsVerbose,
  checkOperationsVerboseAsync,
} from "./check.js";
export {
  DuplicateCallError,
  HistoryError,
  InvalidEventError,
  InvalidOperationError,
  InvalidTimeError,
  MissingReturnError,
  ReturnBeforeCallError,
  UnmatchedReturnError,
} from "./errors.js";
export { eventsToOperations } from "./events.js";
export { fnv1a } from "./hash.js";
export type { LinearizationInfo, PartitionInfo, VerboseResult } from "./info.js";
export { type CompleteModel, completeModel, defineModel, type Model, type StepResult } from "./model.js";
export { type KvInput, type KvOutput, type KvState, kvModel } from "./models/kv.js";
export {
  type RegisterInput,
  type RegisterOutput,
  type RegisterState,
  type RegisterValue,
  registerModel,
} from "./models/register.js";
export { structuralEqual, structuralHash } from "./structural.js";
export type {
  AsyncCheckOptions,
  CallEvent,
  CheckOptions,
  CheckResult,
  Event,
  Operation,
  ReturnEvent,
} from "./types.js";
export { visualize } from "./visualize/html.js";
export { writeVisualization } from "./visualize/write.js";
