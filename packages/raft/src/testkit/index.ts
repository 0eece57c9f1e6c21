export { AppliedLogs, sameValue } from "./applied-logs.js";
export * from "./chaos/index.js";
export { CLASSIC_ENV, classicFromEnvironment } from "./classic.js";
export {
  Cluster,
  type ClusterEnvironment,
  type ClusterOptions,
  ELECTION_TIMEOUT_MS,
  makeCluster,
  TEST_TIME_LIMIT_MS,
} from "./cluster.js";
export { type ConformanceCase, ConformanceError } from "./conformance/conformance-case.js";
export { type StorageFixture, storageConformance } from "./conformance/storage-conformance.js";
export { type TransportFixture, transportConformance } from "./conformance/transport-conformance.js";
export { HarnessError, type StorageFaultCode, StorageFaultError } from "./errors.js";
export { FaultyStorage, type FaultyStorageOptions, type FaultyStorageStats } from "./faulty-storage.js";
export { formatPassedLine, type PassedFigures } from "./report.js";
export { decodeHarnessSnapshot, encodeHarnessSnapshot, type HarnessSnapshot } from "./snapshot-codec.js";
