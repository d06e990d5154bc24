import * as encoding from "lib0/encoding";

/** An awareness update (y-protocols encoding) with one state per client, as JSON. */
export function awarenessUpdate(states: Array<[client: number, clock: number, state: unknown]>): Uint8Array {
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, states.length);
  for (const [client, clock, state] of states) {
    encoding.writeVarUint(e, client);
    encoding.writeVarUint(e, clock);
    encoding.writeVarString(e, JSON.stringify(state));
  }
  return encoding.toUint8Array(e);
}
