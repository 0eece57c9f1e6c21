import type { Simulation } from "@raftkit/labrpc";
import { checkClientAppends, element } from "./checks.js";
import { append, get, type History, KvTestConfig, put } from "./config.js";
import type { KvOperation } from "./linearizability.js";
import { checkLinearizable } from "./linearizability.js";

const NITER = 3;
const ITERATION_MS = 1000;

/** One client of GenericTest: its own key, 50% Appends checked against what it knows, else Gets. */
async function runClient(
  cfg: KvTestConfig,
  cli: number,
  log: History,
  stopped: () => boolean,
): Promise<number> {
  const client = cfg.makeClient();
  const ck = client.clerk;
  const key = String(cli);
  let last = "";
  let j = 0;
  await put(cfg, ck, key, last, log, cli);
  while (!stopped()) {
    if (cfg.sim.random.int(1000) < 500) {
      const nv = element(cli, j);
      const old = await append(cfg, ck, key, nv, log, cli);
      if (j > 0 && !old.includes(element(cli, j - 1))) {
        throw new Error(`error: old ${element(cli, j - 1)} not in returned value ${old}`);
      }
      if (old.includes(nv)) throw new Error(`error: new value ${nv} in returned values ${old}`);
      if (old !== last) throw new Error(`append of ${key} returned ${old}, expected ${last}`);
      last += nv;
      j++;
    } else {
      const value = await get(cfg, ck, key, log, cli);
      if (value !== last) throw new Error(`get wrong value, key ${key}, wanted:\n${last}\n, got\n${value}`);
    }
  }
  cfg.deleteClient(client);
  return j;
}

/**
 * The lab's GenericTest(nclients, unreliable, randomkeys=false): NITER rounds of 1 s in which
 * every client appends to / reads its own key, then the main clerk checks every key; finally the
 * whole history is checked for linearizability.
 */
export async function genericTest(sim: Simulation, title: string, nclients: number, unreliable: boolean) {
  const cfg = new KvTestConfig(sim, { reliable: !unreliable });
  const main = cfg.makeClient().clerk;
  const log: KvOperation[] = [];
  cfg.begin(title);
  for (let i = 0; i < NITER; i++) {
    let stop = false;
    const clients = Array.from({ length: nclients }, (_, cli) => runClient(cfg, cli, log, () => stop));
    await sim.sleep(ITERATION_MS);
    stop = true;
    const counts = await Promise.all(clients);
    for (let cli = 0; cli < nclients; cli++) {
      const value = await get(cfg, main, String(cli), log, 0);
      checkClientAppends(cli, value, counts[cli]!);
    }
  }
  await checkLinearizable(log);
  cfg.end();
  cfg.cleanup();
}
