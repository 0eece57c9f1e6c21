export { type CallResult, ClientEnd } from "./client-end.js";
export { EncodeError } from "./codec.js";
export { RemoteHandlerError, UnknownMethodError } from "./errors.js";
export { randomName } from "./names.js";
export {
  type EndName,
  Network,
  type NetworkEvent,
  type NetworkEventKind,
  type NetworkOptions,
  type ServerName,
} from "./network.js";
export { type Handler, Server, Service } from "./server.js";
export { type Clock, RealClock, type RealClockOptions, realClock, type Timer } from "./sim/clock.js";
export { SimulationStalledError, SimulationTimeLimitError } from "./sim/errors.js";
export { freshSeed, type Random, realRandom, SeededRandom } from "./sim/random.js";
export { SEED_ENV, type SimTestOptions, seedFromEnv, simTest, withSeed } from "./sim/seeded.js";
export { Simulation, type SimulationOptions, simulate } from "./sim/simulation.js";
