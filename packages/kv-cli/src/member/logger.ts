import pino, { type Logger } from "pino";
import pretty from "pino-pretty";
import type { ServeOptions } from "../options.js";

/**
 * The member's log on stderr: timestamps and levels, human-readable lines on a terminal (or with
 * --log-format pretty), one JSON object per line otherwise (for log collectors).
 */
export function memberLogger(options: Pick<ServeOptions, "id" | "logLevel" | "logFormat">): Logger {
  const format = options.logFormat ?? (process.stderr.isTTY ? "pretty" : "json");
  const base = { level: options.logLevel, base: { member: options.id } };
  if (format === "json") return pino(base, pino.destination({ fd: 2, sync: true }));
  return pino(
    base,
    pretty({
      destination: 2,
      sync: true,
      colorize: process.stderr.isTTY === true,
      translateTime: "SYS:yyyy-mm-dd HH:MM:ss.l",
      ignore: "pid,hostname",
    }),
  );
}
