import type { IncomingMessage, Server } from "node:http";
import type { Duplex } from "node:stream";
import { WebSocketServer, type RawData, type WebSocket } from "ws";
import type { AppContext } from "../context.js";
import { readCookie, sessionOf, SESSION_COOKIE, type Session } from "../auth/sessions.js";
import { originAllowed } from "../http/auth.js";
import { documentRow, documentFacts, type DocumentRow } from "../documents/documents.js";
import { documentDenial } from "../auth/policy.js";
import { memberIn, type User } from "../auth/users.js";
import { HttpError } from "../http/errors.js";
import { storageFault } from "../store/faults.js";
import { QUARANTINED_REASON } from "./rooms.js";
import {
  closeSocket,
  Connection,
  CLOSE_NOT_FOUND,
  CLOSE_QUARANTINED,
  CLOSE_TOO_MANY,
  CLOSE_TRY_LATER,
  CLOSE_UNAUTHENTICATED,
} from "./connection.js";
import { sessionSocketsOf } from "./session-sockets.js";
import { OwnedElsewhere, OwnershipLost } from "../cluster/ownership.js";
import type { RelayedClient } from "../cluster/relay.js";
import type { Room } from "./room.js";

const COLLAB_PATH = /^\/collab\/([A-Za-z0-9_-]{1,64})$/;
const HEARTBEAT_MS = 30_000;

function toBytes(data: RawData): Uint8Array {
  if (Array.isArray(data)) return new Uint8Array(Buffer.concat(data));
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}

/** What an upgrade's cookie and path were found to name, or what the store threw reading them. */
interface Admission {
  session: Session | null;
  doc: DocumentRow | null;
  user: User | null;
  error: unknown;
}

function rejectUpgrade(socket: Duplex, status: number, text: string): void {
  socket.write(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
  socket.destroy();
}

/**
 * The transport: accepts websocket upgrades on `/collab/<documentId>`, authenticates the
 * session cookie and authorises the document before a single message is read, then hands
 * the connection to the document's room. Refusals close with a 44xx code, which the stock
 * y-websocket client takes as final (no reconnect loop).
 */
export function attachCollab(ctx: AppContext, server: Server): { close(): void } {
  const wss = new WebSocketServer({ noServer: true, maxPayload: ctx.config.maxMessageBytes, perMessageDeflate: false });
  // A connection that may not change the text sends only presence and state vectors: its
  // messages are capped far lower, so that a reader's flood cannot make the server buffer
  // megabytes per socket (ws holds a whole message before anyone can look at it).
  const readers = new WebSocketServer({ noServer: true, maxPayload: ctx.config.maxReadOnlyMessageBytes, perMessageDeflate: false });
  const alive = new WeakSet<WebSocket>();

  const onUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const url = new URL(req.url ?? "/", "http://localhost");
    const match = COLLAB_PATH.exec(url.pathname);
    if (!match) return rejectUpgrade(socket, 404, "Not Found");
    // A page on another site must not ride the user's cookie into a document.
    if (!originAllowed(ctx, req)) return rejectUpgrade(socket, 403, "Forbidden");
    const documentId = match[1]!;
    const admission = admit(req, documentId);
    (mayWrite(admission) ? wss : readers).handleUpgrade(req, socket, head, (ws) => {
      ws.on("error", () => ws.terminate());
      // Whatever fails here is contained: the client is told, the process carries on.
      try {
        accept(ws, url, documentId, admission);
      } catch (error) {
        refuseSocket(ws, error);
        if (!(error instanceof HttpError)) ctx.rooms.contain(documentId, error, "opening a connection");
      }
    });
  };

  /**
   * The upgrade's session, document and member, read once for both the choice of server
   * (writer or reader) and the acceptance: on PostgreSQL each read is a synchronous round
   * trip, and every client reconnecting after a restart makes an upgrade. What the store
   * threw is kept for the acceptance to refuse properly.
   */
  const admit = (req: IncomingMessage, documentId: string): Admission => {
    try {
      const session = sessionOf(ctx.db, readCookie(req.headers.cookie, SESSION_COOKIE));
      const doc = session ? documentRow(ctx, documentId) : null;
      // The caller acts as their member of the document's meeting, or not at all.
      const user = session && doc ? memberIn(ctx.db, session.person, doc.meeting_id) : null;
      return { session, doc, user, error: null };
    } catch (error) {
      return { session: null, doc: null, user: null, error };
    }
  };

  /** Whether the upgrade comes from someone who may change the document's text now (else: a reader). */
  const mayWrite = ({ doc, user }: Admission): boolean => !!user && !!doc && documentDenial(user, "document.write", documentFacts(doc)) === null;

  /** Closes a socket that could not be served, with a code the stock client will not hammer. */
  const refuseSocket = (ws: WebSocket, error: unknown) => {
    // Owned by another process, or changing hands: worth trying again (through the balancer).
    if (error instanceof OwnedElsewhere || error instanceof OwnershipLost || (error instanceof HttpError && error.code === "document.owner_changed"))
      return ws.close(CLOSE_TRY_LATER, error.message.slice(0, 120));
    if (error instanceof HttpError && error.status === 503) return ws.close(CLOSE_QUARANTINED, error.message.slice(0, 120));
    const fault = storageFault(error);
    ws.close(CLOSE_TRY_LATER, fault ? `${fault}; try again later`.slice(0, 120) : "the server could not open this document; try again later");
  };

  const accept = (ws: WebSocket, url: URL, documentId: string, { session, doc, user, error }: Admission) => {
    const wantsEvents = url.searchParams.get("events") === "1";
    const refuse = (code: number, reason: string) => closeSocket(ws, wantsEvents, documentId, code, reason);
    if (error !== null) throw error;
    if (!session) return refuse(CLOSE_UNAUTHENTICATED, "sign in first");
    if (!doc || !user) return refuse(CLOSE_NOT_FOUND, "document not found");
    if (doc.quarantined_at !== null) return refuse(CLOSE_QUARANTINED, QUARANTINED_REASON);
    // The person's open websockets are counted (across processes, in a cluster) before the
    // socket is served; what the client sends meanwhile waits.
    alive.add(ws);
    const early: Uint8Array[] = [];
    let closed = false;
    const onEarly = (data: RawData) => early.push(toBytes(data));
    ws.on("message", onEarly);
    ws.once("close", () => (closed = true));
    void ctx.limits.connections.acquire(user.id).then((release) => {
      ws.off("message", onEarly);
      if (closed) return release?.();
      if (!release) return refuse(CLOSE_TOO_MANY, "too many open connections for this user");
      try {
        serve(ws, session, user, wantsEvents, documentId, release, early);
      } catch (error) {
        release();
        refuseSocket(ws, error);
        if (!(error instanceof HttpError)) ctx.rooms.contain(documentId, error, "opening a connection");
      }
    });
  };

  const serve = (ws: WebSocket, session: Session, user: User, wantsEvents: boolean, documentId: string, release: () => void, early: Uint8Array[]) => {
    const conn = new Connection(ws, user, wantsEvents, documentId);
    const endpoint = endpointOf(documentId, conn);
    // The end of the session (sign-out, deactivation, expiry) closes the socket at once.
    const sessionSocket = sessionSocketsOf(ctx).add(session, (end) => conn.close(end.code, end.reason));
    ws.on("pong", () => alive.add(ws));
    ws.on("message", (data) => {
      if (sessionSocket.admits()) endpoint.receive(toBytes(data));
    });
    ws.on("close", () => {
      sessionSocket.remove();
      release();
      endpoint.leave();
    });
    endpoint.start();
    for (const bytes of early) if (sessionSocket.admits()) endpoint.receive(bytes);
  };

  /**
   * Where a connection's messages go: the document's room, when this process owns it (or
   * can take it); in a cluster, when another process owns it, that owner through this
   * process's relay.
   */
  const endpointOf = (documentId: string, conn: Connection): { receive(bytes: Uint8Array): void; leave(): void; start(): void } => {
    let room: Room;
    try {
      room = ctx.rooms.open(documentId);
    } catch (error) {
      if (!(error instanceof OwnedElsewhere) || ctx.relays === null) throw error;
      const owner = error.owner;
      const relays = ctx.relays;
      let client: RelayedClient | null = null;
      return {
        start: () => (client = relays.join(documentId, owner, conn)),
        receive: (bytes) => client?.receive(bytes),
        leave: () => client?.leave(),
      };
    }
    return {
      start: () => ctx.rooms.attach(room, conn),
      receive(bytes) {
        try {
          // The room may have been discarded and reloaded under us; follow the live one.
          if (ctx.rooms.get(documentId) !== room) return conn.close(CLOSE_TRY_LATER, "document reloaded; reconnect");
          room.receive(conn, bytes);
        } catch (error) {
          ctx.rooms.contain(room, error, "receiving a message");
        }
      },
      leave() {
        try {
          if (ctx.rooms.get(documentId) === room) ctx.rooms.detach(room, conn);
        } catch (error) {
          ctx.rooms.contain(room, error, "closing a connection");
        }
      },
    };
  };
  server.on("upgrade", onUpgrade);

  // Dead peers (a laptop closed mid-session) are noticed and their presence removed.
  const heartbeat = setInterval(() => {
    for (const ws of [...wss.clients, ...readers.clients]) {
      if (!alive.has(ws)) {
        ws.terminate();
        continue;
      }
      alive.delete(ws);
      ws.ping();
    }
  }, HEARTBEAT_MS);
  heartbeat.unref();

  return {
    close() {
      clearInterval(heartbeat);
      server.off("upgrade", onUpgrade);
      for (const ws of [...wss.clients, ...readers.clients]) ws.terminate();
      wss.close();
      readers.close();
    },
  };
}
