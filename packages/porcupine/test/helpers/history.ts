import type { KvInput, KvOutput, Operation } from "../../src/index.js";

export type KvOp = Operation<KvInput, KvOutput>;

export const get = (key: string, value: string, call: number, ret: number, clientId?: number): KvOp =>
  withClient({ input: { op: "get", key }, output: { value }, call, return: ret }, clientId);

export const put = (key: string, value: string, call: number, ret: number, clientId?: number): KvOp =>
  withClient({ input: { op: "put", key, value }, output: {}, call, return: ret }, clientId);

/** `old` is lab 2's Append-with-return result; leave it out for lab 4's Append. */
export const append = (
  key: string,
  value: string,
  call: number,
  ret: number,
  old?: string,
  clientId?: number,
): KvOp =>
  withClient(
    {
      input: { op: "append", key, value },
      output: old === undefined ? {} : { value: old },
      call,
      return: ret,
    },
    clientId,
  );

function withClient(operation: KvOp, clientId: number | undefined): KvOp {
  return clientId === undefined ? operation : { clientId, ...operation };
}
