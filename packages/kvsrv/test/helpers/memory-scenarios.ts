/**
 * The lab's kvsrv memory tests (LAB-TESTS §4.4). Each runs in its own process (one file per
 * test under test/memory/, started with --expose-gc) so that one test's leftovers cannot shift
 * another's baseline. Memory is the whole process after two forced collections, as a delta over
 * a baseline taken after the clerks exist and before the work.
 */
import type { Random, Simulation } from "@raftkit/labrpc";
import type { Clerk } from "../../src/index.js";
import { KvTestConfig } from "./config.js";
import {
  describeDelta,
  formatBytes,
  type MemorySample,
  MiB,
  measure,
  releaseCodecScratch,
} from "./memory.js";

const MEM = 10 * MiB;
const NCLIENT = 100_000;

function randValue(random: Random, n: number): string {
  const bytes = Buffer.allocUnsafe(n);
  for (let i = 0; i < n; i++) bytes[i] = 97 + random.int(26);
  return bytes.toString("latin1");
}

function makeClerks(cfg: KvTestConfig, n: number): Clerk[] {
  return Array.from({ length: n }, () => cfg.makeClient().clerk);
}

/**
 * Uses the clerks after the last measurement: V8 does not keep a local that is never read again
 * alive across an await, and the clerks must stay in both measurements (the baseline holds them).
 */
function keepAlive(clerks: Clerk[]): void {
  if (clerks.some((ck) => ck.clientId.length === 0)) throw new Error("clerk without a client id");
}

/**
 * Measures before the work. The simulation is first let to fire one more (zero-delay) timer: until
 * it fires the next timer, its run loop still references the continuation of the last one, and
 * with it the arguments of the RPC that continuation made.
 */
async function measureBefore(sim: Simulation): Promise<MemorySample> {
  await sim.sleep(0);
  return measure();
}

/** Measures after the work as before it, releasing the wire codec's scratch buffer first (reported). */
async function measureAfter(sim: Simulation, m0: MemorySample, perClient?: number): Promise<MemorySample> {
  await sim.sleep(0);
  const released = releaseCodecScratch();
  const m1 = measure();
  const each = perClient ? `; ${((m1.total - m0.total) / perClient).toFixed(1)} bytes/client` : "";
  console.log(`  ${describeDelta(m0, m1)}${each} (cbor-x scratch released first: ${formatBytes(released)})`);
  return m1;
}

function assertBudget(what: string, used: number, budget: number, strict: boolean): void {
  const ok = strict ? used < budget : used <= budget;
  console.log(`  ${what}: ${formatBytes(used)} (budget ${strict ? "<" : "<="} ${formatBytes(budget)})`);
  if (!ok) throw new Error(`error: server using too much memory: ${what}: ${used} bytes, budget ${budget}`);
}

export async function memGet(sim: Simulation): Promise<void> {
  const cfg = new KvTestConfig(sim, { reliable: false });
  const [ck0, ck1] = makeClerks(cfg, 2) as [Clerk, Clerk];
  cfg.begin("Test: memory use get");
  const m0 = await measureBefore(sim);
  let value = randValue(sim.random, MEM);
  await ck0.put("k", value);
  if ((await ck0.get("k")).length !== value.length) throw new Error("error: incorrect len");
  if ((await ck1.get("k")).length !== value.length) throw new Error("error: incorrect len");
  await ck0.put("k", "0");
  value = "";
  const m1 = await measureAfter(sim, m0);
  assertBudget("retained after Put 10 MiB, two Gets, Put small", m1.total - m0.total, MEM, true);
  cfg.end();
  cfg.cleanup();
}

export async function memPut(sim: Simulation): Promise<void> {
  const cfg = new KvTestConfig(sim, { reliable: true });
  const [ck0, ck1] = makeClerks(cfg, 2) as [Clerk, Clerk];
  cfg.begin("Test: memory use put");
  const m0 = await measureBefore(sim);
  let value = randValue(sim.random, MEM);
  await ck0.put("k", value);
  value = "";
  await ck1.put("k", "");
  const m1 = await measureAfter(sim, m0);
  assertBudget("retained after Put 10 MiB, Put small", m1.total - m0.total, MEM, true);
  cfg.end();
  cfg.cleanup();
}

export async function memAppend(sim: Simulation): Promise<void> {
  const cfg = new KvTestConfig(sim, { reliable: true });
  const [ck0, ck1] = makeClerks(cfg, 2) as [Clerk, Clerk];
  cfg.begin("Test: memory use append");
  const m0 = await measureBefore(sim);
  let value1 = randValue(sim.random, MEM);
  await ck0.append("k", value1);
  value1 = "";
  let value2 = randValue(sim.random, MEM);
  await ck1.append("k", value2);
  value2 = "";
  const m1 = await measureAfter(sim, m0);
  assertBudget("retained after two 10 MiB Appends", m1.total - m0.total, 3 * MEM, false);
  cfg.end();
  cfg.cleanup();
}

export async function memPutManyClients(sim: Simulation): Promise<void> {
  const cfg = new KvTestConfig(sim, { reliable: true });
  const value = randValue(sim.random, 1000);
  const cks = makeClerks(cfg, NCLIENT);
  cfg.begin("Test: memory use many put clients");
  await sim.sleep(1000);
  const m0 = await measureBefore(sim);
  for (const ck of cks) await ck.put("k", value);
  measure();
  await sim.sleep(1000);
  const m1 = await measureAfter(sim, m0, NCLIENT);
  keepAlive(cks);
  assertBudget(`retained for ${NCLIENT} put clients`, m1.total - m0.total, 200 * NCLIENT, false);
  cfg.end();
  cfg.cleanup();
}

export async function memGetManyClients(sim: Simulation): Promise<void> {
  const cfg = new KvTestConfig(sim, { reliable: true });
  await cfg.makeClient().clerk.put("0", "");
  const cks = makeClerks(cfg, NCLIENT);
  cfg.begin("Test: memory use many get client");
  await sim.sleep(1000);
  const m0 = await measureBefore(sim);
  for (const ck of cks) await ck.get("0");
  measure();
  await sim.sleep(1000);
  const m1 = await measureAfter(sim, m0, NCLIENT);
  keepAlive(cks);
  assertBudget(`retained for ${NCLIENT} get clients`, m1.total - m0.total, 10 * NCLIENT, true);
  cfg.end();
  cfg.cleanup();
}

export async function memManyAppends(sim: Simulation): Promise<void> {
  const N = 1000;
  const cfg = new KvTestConfig(sim, { reliable: true });
  const ck = cfg.makeClient().clerk;
  const value = randValue(sim.random, 1000);
  cfg.begin("Test: memory use many appends");
  const m0 = await measureBefore(sim);
  for (let i = 0; i < N; i++) await ck.append("k", value);
  measure();
  await sim.sleep(1000);
  const m1 = await measureAfter(sim, m0);
  console.log(`  m0 ${formatBytes(m0.total)} m1 ${formatBytes(m1.total)}`);
  assertBudget(`retained after ${N} Appends of 1000 bytes`, m1.total - m0.total, 3 * N * 1000, true);
  cfg.end();
  cfg.cleanup();
}
