import * as decoding from "lib0/decoding";
import * as encoding from "lib0/encoding";

/**
 * The messages processes of a cluster send each other through Redis, binary (lib0):
 * to a process's inbox (a relay's client joins, speaks, leaves; the owner answers one
 * client or ends it), on a document's channel (the owner's durable deliveries), and to
 * every process (liveness, events, access changes).
 */
export type ClusterMessage =
  /**
   * To the owner: a relay's client opened the document (as `userId`); `knowsPresence`: it
   * is moving from a former owner that told it everyone's presence, which it still has.
   */
  | { type: "open"; documentId: string; from: string; connId: number; userId: string; wantsEvents: boolean; knowsPresence: boolean }
  /** To the owner: one websocket message of that client, as it sent it. */
  | { type: "message"; documentId: string; from: string; connId: number; bytes: Uint8Array }
  /** To the owner: that client left. */
  | { type: "close"; documentId: string; from: string; connId: number }
  /** To a relay: a message for one of its clients only (a reply, a refusal, an event). */
  | { type: "send"; connId: number; bytes: Uint8Array }
  /** To a relay: close one of its clients' websockets with this code and reason. */
  | { type: "end"; connId: number; code: number; reason: string }
  /**
   * On a document's channel: what the owner delivered to every client, once durable,
   * numbered per owner (`token`) from 0; `until`: when the owner's lease expires unless
   * renewed, as the owner last renewed it (ms; 0 when not said).
   */
  | { type: "deliver"; token: number; n: number; until: number; messages: Uint8Array[] }
  /** To every process: `from` is alive (its clients on other owners are kept). */
  | { type: "alive"; from: string }
  /** To every process: an event for the clients of a document (only those users, when `userIds` is given). */
  | { type: "event"; from: string; documentId: string; json: string; userIds: string[] | null }
  /** To every process: an event of one person's own (their inbox in `meetingId`), for every connection and live stream of theirs. */
  | { type: "userEvent"; from: string; userId: string; meetingId: string; json: string }
  /** To every process: a document's state changed; each re-reads who may write it. */
  | { type: "access"; from: string; documentId: string }
  /** To every process: a person's sessions ended (one, by `tokenHash`, or all when it is ""); each closes their sockets with `code` and `reason`. */
  | { type: "sessionsEnded"; from: string; userId: string; tokenHash: string; code: number; reason: string }
  /** Several messages for one channel, sent in one frame (bus.ts), handled in their order. */
  | { type: "batch"; messages: ClusterMessage[] };

const TYPES = ["open", "message", "close", "send", "end", "deliver", "alive", "event", "userEvent", "access", "sessionsEnded", "batch"] as const;

/** Encodes a cluster message. */
export function encodeClusterMessage(m: ClusterMessage): Uint8Array {
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, TYPES.indexOf(m.type));
  switch (m.type) {
    case "open":
      encoding.writeVarString(e, m.documentId);
      encoding.writeVarString(e, m.from);
      encoding.writeVarUint(e, m.connId);
      encoding.writeVarString(e, m.userId);
      encoding.writeVarUint(e, m.wantsEvents ? 1 : 0);
      encoding.writeVarUint(e, m.knowsPresence ? 1 : 0);
      break;
    case "message":
      encoding.writeVarString(e, m.documentId);
      encoding.writeVarString(e, m.from);
      encoding.writeVarUint(e, m.connId);
      encoding.writeVarUint8Array(e, m.bytes);
      break;
    case "close":
      encoding.writeVarString(e, m.documentId);
      encoding.writeVarString(e, m.from);
      encoding.writeVarUint(e, m.connId);
      break;
    case "send":
      encoding.writeVarUint(e, m.connId);
      encoding.writeVarUint8Array(e, m.bytes);
      break;
    case "end":
      encoding.writeVarUint(e, m.connId);
      encoding.writeVarUint(e, m.code);
      encoding.writeVarString(e, m.reason);
      break;
    case "deliver":
      encoding.writeVarUint(e, m.token);
      encoding.writeVarUint(e, m.n);
      encoding.writeVarUint(e, m.messages.length);
      for (const message of m.messages) encoding.writeVarUint8Array(e, message);
      encoding.writeVarUint(e, m.until);
      break;
    case "alive":
      encoding.writeVarString(e, m.from);
      break;
    case "event":
      encoding.writeVarString(e, m.from);
      encoding.writeVarString(e, m.documentId);
      encoding.writeVarString(e, m.json);
      encoding.writeVarString(e, m.userIds === null ? "" : JSON.stringify(m.userIds));
      break;
    case "userEvent":
      encoding.writeVarString(e, m.from);
      encoding.writeVarString(e, m.userId);
      encoding.writeVarString(e, m.meetingId);
      encoding.writeVarString(e, m.json);
      break;
    case "access":
      encoding.writeVarString(e, m.from);
      encoding.writeVarString(e, m.documentId);
      break;
    case "sessionsEnded":
      encoding.writeVarString(e, m.from);
      encoding.writeVarString(e, m.userId);
      encoding.writeVarString(e, m.tokenHash);
      encoding.writeVarUint(e, m.code);
      encoding.writeVarString(e, m.reason);
      break;
    case "batch":
      return encodeBatch(m.messages.map(encodeClusterMessage));
  }
  return encoding.toUint8Array(e);
}

/** A batch of messages already encoded (each with `encodeClusterMessage`, none a batch), as one message. */
export function encodeBatch(encoded: readonly Uint8Array[]): Uint8Array {
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, TYPES.indexOf("batch"));
  encoding.writeVarUint(e, encoded.length);
  for (const bytes of encoded) {
    if (bytes[0] === TYPES.indexOf("batch")) throw new Error("a batch holds no batch");
    encoding.writeVarUint8Array(e, bytes);
  }
  return encoding.toUint8Array(e);
}

/** Decodes a cluster message; throws on bytes that are not one. */
export function decodeClusterMessage(bytes: Uint8Array): ClusterMessage {
  const d = decoding.createDecoder(bytes);
  const type = TYPES[decoding.readVarUint(d)];
  switch (type) {
    case "open":
      return { type, documentId: decoding.readVarString(d), from: decoding.readVarString(d), connId: decoding.readVarUint(d), userId: decoding.readVarString(d), wantsEvents: decoding.readVarUint(d) === 1, knowsPresence: decoding.readVarUint(d) === 1 };
    case "message":
      return { type, documentId: decoding.readVarString(d), from: decoding.readVarString(d), connId: decoding.readVarUint(d), bytes: decoding.readVarUint8Array(d) };
    case "close":
      return { type, documentId: decoding.readVarString(d), from: decoding.readVarString(d), connId: decoding.readVarUint(d) };
    case "send":
      return { type, connId: decoding.readVarUint(d), bytes: decoding.readVarUint8Array(d) };
    case "end":
      return { type, connId: decoding.readVarUint(d), code: decoding.readVarUint(d), reason: decoding.readVarString(d) };
    case "deliver": {
      const token = decoding.readVarUint(d);
      const n = decoding.readVarUint(d);
      const count = decoding.readVarUint(d);
      const messages: Uint8Array[] = [];
      for (let i = 0; i < count; i++) messages.push(decoding.readVarUint8Array(d));
      // Last, and absent from a process that does not say it yet (a cluster being upgraded).
      const until = decoding.hasContent(d) ? decoding.readVarUint(d) : 0;
      return { type, token, n, until, messages };
    }
    case "alive":
      return { type, from: decoding.readVarString(d) };
    case "event": {
      const from = decoding.readVarString(d);
      const documentId = decoding.readVarString(d);
      const json = decoding.readVarString(d);
      const ids = decoding.readVarString(d);
      return { type, from, documentId, json, userIds: ids === "" ? null : (JSON.parse(ids) as string[]) };
    }
    case "userEvent":
      return { type, from: decoding.readVarString(d), userId: decoding.readVarString(d), meetingId: decoding.readVarString(d), json: decoding.readVarString(d) };
    case "access":
      return { type, from: decoding.readVarString(d), documentId: decoding.readVarString(d) };
    case "sessionsEnded":
      return { type, from: decoding.readVarString(d), userId: decoding.readVarString(d), tokenHash: decoding.readVarString(d), code: decoding.readVarUint(d), reason: decoding.readVarString(d) };
    case "batch": {
      const count = decoding.readVarUint(d);
      const messages: ClusterMessage[] = [];
      for (let i = 0; i < count; i++) {
        const inner = decodeClusterMessage(decoding.readVarUint8Array(d));
        if (inner.type === "batch") throw new Error("a batch holds no batch");
        messages.push(inner);
      }
      return { type, messages };
    }
    default:
      throw new Error("not a cluster message");
  }
}
