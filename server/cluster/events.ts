import type { AppContext } from "../context.js";
import type { DocumentEvent, EventAudience } from "../events/events.js";
import { userById } from "../auth/users.js";
import { encodeEvent } from "../collab/protocol.js";
import type { Bus } from "./bus.js";
import type { Relays } from "./relay.js";
import type { ClusterMessage } from "./wire.js";

/** The users of a document's meeting that `audience` admits (evaluated where the event is made: an audience is code, not data). */
function admitted(ctx: AppContext, documentId: string, audience: EventAudience): string[] {
  const meetingId = ctx.db.prepare("SELECT meeting_id FROM documents WHERE id = ?").pluck().get(documentId) as string | undefined;
  if (!meetingId) return [];
  const ids = ctx.db.prepare("SELECT user_id FROM memberships WHERE meeting_id = ? AND active = 1").pluck().all(meetingId) as string[];
  return ids.filter((id) => {
    const user = userById(ctx.db, id, meetingId);
    return user !== null && audience(user);
  });
}

/**
 * The live events channel across processes. A document's events reach its clients through
 * its owner, whose room holds every client wherever it connected (other processes' as
 * relayed connections): an event made on the owner is sent as in one process; one made
 * elsewhere goes to every process and the owner sends it. So does a change of who may
 * write. An event for one person goes to every process, each sending it to that person's
 * connections there.
 */
export function shareEvents(ctx: AppContext, bus: Bus, relays: Relays): (m: ClusterMessage) => void {
  const rooms = ctx.rooms;
  const publishHere = rooms.publish.bind(rooms);
  const refreshHere = rooms.refreshAccess.bind(rooms);
  rooms.publish = (event: DocumentEvent, audience?: EventAudience) => {
    if (rooms.get(event.documentId)) return publishHere(event, audience);
    bus.toEveryone({ type: "event", from: bus.inbox, documentId: event.documentId, json: JSON.stringify(event), userIds: audience ? admitted(ctx, event.documentId, audience) : null });
  };
  rooms.refreshAccess = (documentId: string) => {
    if (rooms.get(documentId)) return refreshHere(documentId);
    bus.toEveryone({ type: "access", from: bus.inbox, documentId });
  };
  rooms.publishToUser = (userId: string, event: DocumentEvent) => {
    bus.toEveryone({ type: "userEvent", from: bus.inbox, userId, json: JSON.stringify(event) });
  };
  return (m) => {
    if (m.type === "event" && m.from !== bus.inbox && rooms.get(m.documentId)) {
      const ids = m.userIds === null ? null : new Set(m.userIds);
      publishHere(JSON.parse(m.json) as DocumentEvent, ids === null ? undefined : (user) => ids.has(user.id));
    } else if (m.type === "access" && m.from !== bus.inbox) {
      refreshHere(m.documentId);
    } else if (m.type === "userEvent") {
      // Every connection of that person here: its own (the owner's relayed ones are their process's to tell).
      const message = encodeEvent(JSON.parse(m.json) as DocumentEvent);
      for (const conn of [...rooms.localConnections(), ...relays.connections()]) if (conn.wantsEvents && conn.user.id === m.userId) conn.send(message);
    }
  };
}
