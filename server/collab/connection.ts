import type { WebSocket } from "ws";
import type { User } from "../auth/users.js";
import { documentEvent } from "../events/events.js";
import { refusalOf } from "../http/refusals.js";
import { encodeEvent } from "./protocol.js";

/** Close codes in 4400–4499 tell the stock client not to reconnect (it would be refused again). */
export const CLOSE_UNAUTHENTICATED = 4401;
export const CLOSE_NOT_FOUND = 4404;
export const CLOSE_TOO_MANY = 4429;
export const CLOSE_REFUSED_TOO_OFTEN = 4422;
/** The document is quarantined (its stored text is damaged): reconnecting cannot help until it is repaired. */
export const CLOSE_QUARANTINED = 4423;
/**
 * Something went wrong on the server's side of this document: the stock client reconnects
 * (4500–4599 is "try again later") with its growing back-off.
 */
export const CLOSE_TRY_LATER = 4503;
/** Going away: the server is shutting down; the client should reconnect later. */
export const CLOSE_SHUTDOWN = 1001;

// A recipient this far behind is not reading; it is dropped and will resync on reconnect.
const MAX_BUFFERED = 64 * 1024 * 1024;

/** One client's websocket on one document. */
export class Connection {
  /** Awareness client ids this connection has announced, removed when it closes. */
  readonly awarenessIds = new Set<number>();
  /** Why this connection may not change the text, or null when it may. */
  writeDenial: string | null = null;
  /** Updates refused so far; a client that keeps sending refused content is dropped. */
  refusals = 0;
  /** Presence changes this connection may still make now (a bucket refilled at the configured rate). */
  presenceTokens = Number.POSITIVE_INFINITY;
  /** When the bucket was last refilled, and when a presence refusal was last sent (performance.now()). */
  presenceRefilledAt = 0;
  presenceRefusedAt = Number.NEGATIVE_INFINITY;
  /** Whether updates of this client were held back by a storage fault: it is asked to send them again once the fault is over. */
  resync = false;
  /** Whether this client was asked for content its updates build on and has not since had one taken in (`LiveDocument`). */
  missingAsked = false;
  /** How often it was asked so, since the last of its updates was taken in. */
  missingAsks = 0;
  /**
   * Whether this is another process's client, relayed to this owner (server/cluster): it
   * gets the owner's broadcasts from its own process, which receives them once for all its
   * clients, so the fan-out skips it; replies to it alone are sent through `send`.
   */
  readonly relayed: boolean = false;

  constructor(
    readonly socket: WebSocket,
    readonly user: User,
    /** Whether the client asked for Accord's event messages (`?events=1`). */
    readonly wantsEvents: boolean,
    /** The document this connection has open. */
    readonly documentId = "",
  ) {}

  /** Sends a binary message if the socket is open and keeping up. */
  send(message: Uint8Array): void {
    const socket = this.socket;
    if (socket.readyState !== socket.OPEN) return;
    if (socket.bufferedAmount > MAX_BUFFERED) {
      closeSocket(socket, this.wantsEvents, this.documentId, 1013, "too far behind; reconnect to resync");
      return;
    }
    socket.send(message, { binary: true });
  }

  /**
   * Sends ready-made websocket frames (see `binaryFrames`) straight to the TCP socket under
   * ws, which frames nothing itself without compression: a broadcast costs one write per
   * recipient. Falls back to one `send` per message if ws ever hides its socket.
   *
   * `_socket` is ws's private field: safe because compression is off (perMessageDeflate:
   * false, so ws never holds frames back in its queue) and ws writes synchronously to the
   * same socket. ws is pinned to an exact version in package.json, and
   * test/collab.frames.test.ts fails if that version, the field or those conditions change.
   * ws's public `send` instead measured slower in bench/row.ts at 200 editors (p50 20–27 ms
   * against 17–21 ms, p95 42–108 ms against 30–41 ms, same loaded machine, runs interleaved).
   */
  sendFrames(frames: Buffer, messages: readonly Uint8Array[]): void {
    const socket = this.socket;
    if (socket.readyState !== socket.OPEN) return;
    if (socket.bufferedAmount > MAX_BUFFERED) {
      closeSocket(socket, this.wantsEvents, this.documentId, 1013, "too far behind; reconnect to resync");
      return;
    }
    const tcp = (socket as unknown as { _socket?: { write(data: Buffer): boolean } })._socket;
    if (tcp) tcp.write(frames);
    else for (const m of messages) socket.send(m, { binary: true });
  }

  /** Closes the socket with a code and a reason the client can show. */
  close(code: number, reason: string): void {
    closeSocket(this.socket, this.wantsEvents, this.documentId, code, reason);
  }
}

/**
 * Closes a socket with a close code and a reason the client can show. A client that listens
 * for events is first sent `connection.closing` with the reason's stable code and values
 * (docs/API.md, "Error codes"), which the few bytes of a close frame have no room for.
 */
export function closeSocket(socket: WebSocket, wantsEvents: boolean, documentId: string, code: number, reason: string): void {
  if (socket.readyState !== socket.OPEN && socket.readyState !== socket.CONNECTING) return;
  if (wantsEvents && socket.readyState === socket.OPEN) {
    const known = refusalOf(reason);
    const event = documentEvent(documentId, "connection.closing", { closeCode: code, reason, ...(known ?? {}) });
    socket.send(encodeEvent(event), { binary: true });
  }
  socket.close(code, reason.slice(0, 120));
}
