export { type ChaosReplicaOptions, chaosClient, chaosReplica } from "./chaos.js";
export { ClientLinks } from "./client-links.js";
export {
  type ReplicaHandle,
  type ReplicaSettings,
  ServiceCluster,
  type ServiceClusterOptions,
} from "./cluster.js";
export { History, type HistoryInput, type HistoryOutput } from "./history.js";
