import { DuplicateCallError, InvalidEventError, MissingReturnError, UnmatchedReturnError } from "./errors.js";
import type { Event, Operation } from "./types.js";

/**
 * Pairs call and return events by id into operations whose times are the events' positions in the list.
 * Operations come out in the order of their calls. Throws a `HistoryError` for unmatched or malformed events.
 */
export function eventsToOperations<I, O>(events: readonly Event<I, O>[]): Operation<I, O>[] {
  if (!Array.isArray(events)) throw new TypeError("history must be an array of events");
  const operations: Operation<I, O>[] = [];
  const open = new Map<number, number>();
  for (let position = 0; position < events.length; position++) {
    const event = events[position]!;
    if (typeof event !== "object" || event === null) {
      throw new InvalidEventError(position, `expected an object, got ${String(event)}`);
    }
    if (typeof event.id !== "number" || Number.isNaN(event.id)) {
      throw new InvalidEventError(position, `id must be a number, got ${String(event.id)}`);
    }
    if (event.kind === "call") {
      if (open.has(event.id)) throw new DuplicateCallError(event.id, position);
      open.set(event.id, operations.length);
      const operation: Operation<I, O> = {
        input: event.value,
        call: position,
        output: undefined as O,
        return: Number.NaN,
      };
      if (event.clientId !== undefined) operation.clientId = event.clientId;
      operations.push(operation);
    } else if (event.kind === "return") {
      const index = open.get(event.id);
      if (index === undefined) throw new UnmatchedReturnError(event.id, position);
      open.delete(event.id);
      const operation = operations[index]!;
      operation.output = event.value;
      operation.return = position;
      if (operation.clientId === undefined && event.clientId !== undefined)
        operation.clientId = event.clientId;
    } else {
      throw new InvalidEventError(position, `kind must be "call" or "return", got ${String(event.kind)}`);
    }
  }
  for (const id of open.keys()) throw new MissingReturnError(id);
  return operations;
}
