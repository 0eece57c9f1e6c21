export { type LockInput, type LockModelState, type LockOutput, lockModel } from "./lock-model.js";
export { type LockClients, type LockWorkloadOptions, lockWorkload } from "./lock-workload.js";
