import { TransportConfigError } from "./errors.js";

export interface Address {
  host: string;
  port: number;
}

/** Parses "host:port", "[v6]:port" or an Address; throws TransportConfigError naming the bad input. */
export function parseAddress(input: string | Address): Address {
  if (typeof input !== "string") return checkPort(input, JSON.stringify(input));
  const match = /^\[([^\]]+)\]:(\d+)$/.exec(input) ?? /^([^:[\]]+):(\d+)$/.exec(input);
  if (!match) throw new TransportConfigError(`bad address "${input}": expected host:port`);
  return checkPort({ host: match[1]!, port: Number(match[2]) }, input);
}

function checkPort(address: Address, text: string): Address {
  if (!Number.isInteger(address.port) || address.port < 0 || address.port > 65535 || !address.host) {
    throw new TransportConfigError(`bad address ${text}: host and a port in 0..65535 required`);
  }
  return address;
}

export function formatAddress({ host, port }: Address): string {
  return host.includes(":") ? `[${host}]:${port}` : `${host}:${port}`;
}
