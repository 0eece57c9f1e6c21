import { constants } from "node:os";

/**
 * What must not outlive the bench — server processes, temporary data directories — registered
 * as synchronous actions that run however the bench ends: a normal exit, an uncaught error, or
 * Ctrl-C/SIGTERM/SIGHUP (then it exits 128 + the signal's number, as a shell would report).
 * Only a kill -9 of the bench itself escapes them.
 */
const actions = new Set<() => void>();
let installed = false;

function runAll(): void {
  for (const action of [...actions]) {
    actions.delete(action);
    try {
      action();
    } catch {
      // Best effort on the way out: one failed removal must not keep the others from running.
    }
  }
}

function install(): void {
  if (installed) return;
  installed = true;
  process.once("exit", runAll);
  for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
    process.once(signal, () => {
      runAll();
      process.exit(128 + constants.signals[signal]);
    });
  }
}

/** Registers `action` to run at exit; the returned function unregisters it (after a normal close). */
export function onExit(action: () => void): () => void {
  install();
  actions.add(action);
  return () => {
    actions.delete(action);
  };
}
