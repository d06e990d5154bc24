import * as decoding from "lib0/decoding";
import type { Connection } from "./connection.js";
import { MESSAGE_AUTH, MESSAGE_AWARENESS, MESSAGE_QUERY_AWARENESS, MESSAGE_SYNC, SYNC_STEP1, SYNC_STEP2, SYNC_UPDATE } from "./protocol.js";

/**
 * What the messages of a connection are handed to once decoded: an owner integrates the
 * updates itself, a relay would pass them on to the owner.
 */
export interface MessageTarget {
  /** Sync step 1: the client's state vector; it is owed what it lacks. */
  syncStep1(conn: Connection, stateVector: Uint8Array): void;
  /** Sync step 2 or an update: a Yjs update from the client. */
  syncUpdate(conn: Connection, update: Uint8Array): void;
  /** An awareness update (presence) from the client. */
  awarenessUpdate(conn: Connection, update: Uint8Array): void;
  /** The client asks for everyone's presence. */
  awarenessQuery(conn: Connection): void;
  /** A message that cannot be read (malformed, unknown sync type), with the reason. */
  refuse(conn: Connection, reason: string): void;
  /** Handling a message threw: the target tells the server's trouble from the client's. */
  failed(conn: Connection, error: unknown): void;
}

/**
 * Receives the binary messages of one connection: reads the y-websocket protocol's
 * envelope and hands each message to its target. Never throws for bad input: what cannot
 * be read is refused, what throws while handled goes to the target's `failed`.
 */
export function receiveMessage(target: MessageTarget, conn: Connection, message: Uint8Array): void {
  let decoder: decoding.Decoder;
  let type: number;
  try {
    decoder = decoding.createDecoder(message);
    type = decoding.readVarUint(decoder);
  } catch {
    return target.refuse(conn, "malformed message");
  }
  try {
    switch (type) {
      case MESSAGE_SYNC:
        return receiveSync(target, conn, decoder);
      case MESSAGE_AWARENESS:
        return target.awarenessUpdate(conn, decoding.readVarUint8Array(decoder));
      case MESSAGE_QUERY_AWARENESS:
        return target.awarenessQuery(conn);
      case MESSAGE_AUTH:
        return;
      default:
        return; // Unknown types (e.g. a newer client's) are ignored, as y-websocket does.
    }
  } catch (error) {
    return target.failed(conn, error);
  }
}

function receiveSync(target: MessageTarget, conn: Connection, decoder: decoding.Decoder): void {
  const subType = decoding.readVarUint(decoder);
  if (subType === SYNC_STEP1) return target.syncStep1(conn, decoding.readVarUint8Array(decoder));
  if (subType === SYNC_STEP2 || subType === SYNC_UPDATE) return target.syncUpdate(conn, decoding.readVarUint8Array(decoder));
  target.refuse(conn, "unknown sync message");
}
