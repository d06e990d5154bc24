import type { WebSocket } from "ws";
import type { User } from "../auth/users.js";
import { Connection } from "../collab/connection.js";
import type { Bus } from "./bus.js";

/**
 * On a document's owner: a client connected to another process (a relay), as the room
 * sees it. What the room sends to it alone (replies, refusals, events) goes to the relay's
 * inbox addressed to that client; closing it tells the relay to close the websocket.
 * Broadcasts skip it (`relayed`): its process gets them once from the document's channel.
 */
export class RemoteConnection extends Connection {
  override readonly relayed = true;

  constructor(
    bus: Bus,
    /** The relay's inbox. */
    readonly relay: string,
    /** The client's number at its relay. */
    readonly connId: number,
    user: User,
    wantsEvents: boolean,
    documentId: string,
  ) {
    const socket = {
      OPEN: 1,
      CONNECTING: 0,
      readyState: 1,
      bufferedAmount: 0,
      send(data: Uint8Array) {
        bus.send(relay, { type: "send", connId, bytes: data });
      },
      close(code: number, reason: string) {
        if (socket.readyState !== 1) return;
        socket.readyState = 3;
        bus.send(relay, { type: "end", connId, code, reason });
      },
    };
    super(socket as unknown as WebSocket, user, wantsEvents, documentId);
  }

  /** The relay said the client left (or the relay died): nothing more is sent to it. */
  gone(): void {
    (this.socket as unknown as { readyState: number }).readyState = 3;
  }
}
