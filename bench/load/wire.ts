import * as encoding from "lib0/encoding";

/**
 * The bytes a light writer sends, encoded by hand so that a writer needs no Y.Doc: a Yjs
 * v1 update inserting a string right after a known item, and the y-websocket messages
 * around it. `hocuspocus` prefixes every message with the document name, as its protocol
 * requires; everything else is the plain y-websocket protocol.
 */
export type Dialect = "y-websocket" | "hocuspocus";

/** A Yjs item id. */
export interface ItemId {
  client: number;
  clock: number;
}

// Yjs struct info: the low 5 bits are the content ref, bit 8 "has origin", bit 7 "has right origin".
const CONTENT_STRING = 4;
const HAS_ORIGIN = 0x80;
const HAS_RIGHT_ORIGIN = 0x40;

/**
 * A Yjs update with one item: `text` by `client` at `clock`, inserted between `origin`
 * (the character to its left) and `rightOrigin` (the item to its right, or none at the
 * end of the paragraph). The parent is implied by the origin, so it is never written.
 */
export function insertUpdate(client: number, clock: number, origin: ItemId, rightOrigin: ItemId | null, text: string): Uint8Array {
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, 1); // clients
  encoding.writeVarUint(e, 1); // structs of this client
  encoding.writeVarUint(e, client);
  encoding.writeVarUint(e, clock);
  encoding.writeUint8(e, CONTENT_STRING | HAS_ORIGIN | (rightOrigin ? HAS_RIGHT_ORIGIN : 0));
  encoding.writeVarUint(e, origin.client);
  encoding.writeVarUint(e, origin.clock);
  if (rightOrigin) {
    encoding.writeVarUint(e, rightOrigin.client);
    encoding.writeVarUint(e, rightOrigin.clock);
  }
  encoding.writeVarString(e, text);
  encoding.writeVarUint(e, 0); // empty delete set
  return encoding.toUint8Array(e);
}

function start(dialect: Dialect, docName: string): encoding.Encoder {
  const e = encoding.createEncoder();
  if (dialect === "hocuspocus") encoding.writeVarString(e, docName);
  return e;
}

/** A sync message (type 0) of `subType` (1: step 2, 2: update) carrying `update`. */
function syncMessage(dialect: Dialect, docName: string, subType: 1 | 2, update: Uint8Array): Uint8Array {
  const e = start(dialect, docName);
  encoding.writeVarUint(e, 0);
  encoding.writeVarUint(e, subType);
  encoding.writeVarUint8Array(e, update);
  return encoding.toUint8Array(e);
}

/** A sync "update" message (type 0, sub-type 2) carrying `update`. */
export function updateMessage(dialect: Dialect, docName: string, update: Uint8Array): Uint8Array {
  return syncMessage(dialect, docName, 2, update);
}

/** A sync step 2 message (type 0, sub-type 1) carrying `update`: a client's answer to the server's sync step 1. */
export function step2Message(dialect: Dialect, docName: string, update: Uint8Array): Uint8Array {
  return syncMessage(dialect, docName, 1, update);
}

/** An awareness message (type 1) with one client's state as JSON. */
export function awarenessMessage(dialect: Dialect, docName: string, client: number, clock: number, state: unknown): Uint8Array {
  const inner = encoding.createEncoder();
  encoding.writeVarUint(inner, 1);
  encoding.writeVarUint(inner, client);
  encoding.writeVarUint(inner, clock);
  encoding.writeVarString(inner, JSON.stringify(state));
  const e = start(dialect, docName);
  encoding.writeVarUint(e, 1);
  encoding.writeVarUint8Array(e, encoding.toUint8Array(inner));
  return encoding.toUint8Array(e);
}

/** Hocuspocus' authentication message (type 2, sub-type 0, token), which opens the document. */
export function hocuspocusAuth(docName: string, token: string): Uint8Array {
  const e = start("hocuspocus", docName);
  encoding.writeVarUint(e, 2);
  encoding.writeVarUint(e, 0);
  encoding.writeVarString(e, token);
  return encoding.toUint8Array(e);
}

/** Sync step 1 with an empty state vector: "send me everything" (what a watcher asks). */
export function syncStep1Empty(dialect: Dialect, docName: string): Uint8Array {
  const e = start(dialect, docName);
  encoding.writeVarUint(e, 0);
  encoding.writeVarUint(e, 0);
  encoding.writeVarUint8Array(e, new Uint8Array([0]));
  return encoding.toUint8Array(e);
}
