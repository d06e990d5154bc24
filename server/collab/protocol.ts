import * as encoding from "lib0/encoding";
import * as syncProtocol from "y-protocols/sync";
import type * as Y from "yjs";

/**
 * Message types of the y-websocket protocol, plus Accord's own event message. The stock
 * client understands 0–3; only clients that ask for events (`?events=1`) get type 100.
 */
export const MESSAGE_SYNC = 0;
export const MESSAGE_AWARENESS = 1;
export const MESSAGE_AUTH = 2;
export const MESSAGE_QUERY_AWARENESS = 3;
export const MESSAGE_EVENT = 100;

/** Sync sub-types (y-protocols/sync). */
export const SYNC_STEP1 = syncProtocol.messageYjsSyncStep1;
export const SYNC_STEP2 = syncProtocol.messageYjsSyncStep2;
export const SYNC_UPDATE = syncProtocol.messageYjsUpdate;

/** Sync step 1: our state vector, asking the peer for what we lack. */
export function encodeSyncStep1(doc: Y.Doc): Uint8Array {
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, MESSAGE_SYNC);
  syncProtocol.writeSyncStep1(e, doc);
  return encoding.toUint8Array(e);
}

/** Sync step 1 from a state vector already encoded (a document not in memory yet). */
export function encodeSyncStep1From(stateVector: Uint8Array): Uint8Array {
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, MESSAGE_SYNC);
  encoding.writeVarUint(e, SYNC_STEP1);
  encoding.writeVarUint8Array(e, stateVector);
  return encoding.toUint8Array(e);
}

/** A sync message (step 2 or update) carrying a Yjs update. */
export function encodeSyncUpdate(update: Uint8Array, subType: number = SYNC_UPDATE): Uint8Array {
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, MESSAGE_SYNC);
  encoding.writeVarUint(e, subType);
  encoding.writeVarUint8Array(e, update);
  return encoding.toUint8Array(e);
}

/** An awareness message carrying an encoded awareness update. */
export function encodeAwareness(update: Uint8Array): Uint8Array {
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, MESSAGE_AWARENESS);
  encoding.writeVarUint8Array(e, update);
  return encoding.toUint8Array(e);
}

/**
 * "Permission denied" with a reason: the only refusal a stock y-websocket client knows
 * (it logs it and carries on, so a refused client never loops).
 */
export function encodePermissionDenied(reason: string): Uint8Array {
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, MESSAGE_AUTH);
  encoding.writeVarUint(e, 0);
  encoding.writeVarString(e, reason);
  return encoding.toUint8Array(e);
}

/** Accord's event message: JSON text. */
export function encodeEvent(event: unknown): Uint8Array {
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, MESSAGE_EVENT);
  encoding.writeVarString(e, JSON.stringify(event));
  return encoding.toUint8Array(e);
}

/**
 * Websocket frames (binary, final, unmasked as from a server) carrying `messages`, built
 * once for a broadcast: every recipient is then one socket write of the same bytes, with
 * no framing per recipient and one system call for an update and its awareness together.
 */
export function binaryFrames(messages: readonly Uint8Array[]): Buffer {
  let size = 0;
  for (const m of messages) size += m.length + (m.length < 126 ? 2 : m.length < 65536 ? 4 : 10);
  const out = Buffer.allocUnsafe(size);
  let at = 0;
  for (const m of messages) {
    const n = m.length;
    out[at++] = 0x82;
    if (n < 126) out[at++] = n;
    else if (n < 65536) {
      out[at++] = 126;
      out.writeUInt16BE(n, at);
      at += 2;
    } else {
      out[at++] = 127;
      out.writeBigUInt64BE(BigInt(n), at);
      at += 8;
    }
    out.set(m, at);
    at += n;
  }
  return out;
}
