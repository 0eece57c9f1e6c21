export { LockClient } from "./lock-client.js";
export {
  type LockCommand,
  LockMachine,
  type LockResult,
  type LockState,
  lockParsers,
} from "./lock-machine.js";
