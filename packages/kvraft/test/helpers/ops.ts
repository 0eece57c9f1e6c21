import type { Clerk } from "../../src/index.js";
import type { KvRaftConfig } from "./config.js";
import type { KvOperation } from "./linearizability.js";

/** Where the wrappers record operations (the lab's OpLog); undefined records nothing. */
export type History = KvOperation[] | undefined;

/** The lab's Get wrapper: counts the op and records it with its call and return times. */
export async function get(cfg: KvRaftConfig, ck: Clerk, key: string, log: History, cli: number) {
  const call = cfg.stamp();
  const value = await ck.get(key);
  const ret = cfg.stamp();
  cfg.op();
  log?.push({ clientId: cli, input: { op: "get", key }, call, output: { value }, return: ret });
  return value;
}

export async function put(
  cfg: KvRaftConfig,
  ck: Clerk,
  key: string,
  value: string,
  log: History,
  cli: number,
) {
  const call = cfg.stamp();
  await ck.put(key, value);
  const ret = cfg.stamp();
  cfg.op();
  log?.push({ clientId: cli, input: { op: "put", key, value }, call, output: {}, return: ret });
}

/** Lab 4's Append returns nothing: recorded without an output value (porcupine does not check one). */
export async function append(
  cfg: KvRaftConfig,
  ck: Clerk,
  key: string,
  value: string,
  log: History,
  cli: number,
) {
  const call = cfg.stamp();
  await ck.append(key, value);
  const ret = cfg.stamp();
  cfg.op();
  log?.push({ clientId: cli, input: { op: "append", key, value }, call, output: {}, return: ret });
}

/** The lab's check(): a Get through the wrapper that must return `want`. */
export async function check(
  cfg: KvRaftConfig,
  ck: Clerk,
  key: string,
  want: string,
  log: History,
  cli: number,
) {
  const value = await get(cfg, ck, key, log, cli);
  if (value !== want) throw new Error(`Get(${key}): expected:\n${want}\nreceived:\n${value}`);
}
