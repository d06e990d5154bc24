import type { AppContext } from "../context.js";
import type { DocumentEvent, EventAudience } from "../events/events.js";
import { userById } from "../auth/users.js";
import type { Bus } from "./bus.js";
import type { ClusterMessage } from "./wire.js";
import { sessionSocketsOf } from "../collab/session-sockets.js";

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
 * The live events channel across processes, as the rooms' `crossing`
 * (server/collab/rooms.ts). A document's events reach its clients through its owner,
 * whose room holds every client wherever it connected (other processes' as relayed
 * connections): an event made on the owner is sent as in one process; one made elsewhere
 * goes to every process and the owner sends it. So does a change of who may write. A
 * person's own event (their inbox) is delivered here at once and goes to every other
 * process, each delivering it to that person's connections and live streams there. The
 * end of a session (sign-out, deactivation, a changed role) closes the person's sockets
 * and live streams on every process at once, not at their next message.
 * Returns the handler of those messages.
 */
export function shareEvents(ctx: AppContext, bus: Bus): (m: ClusterMessage) => void {
  const rooms = ctx.rooms;
  rooms.crossing = {
    documentEvent(event: DocumentEvent, audience?: EventAudience) {
      bus.toEveryone({ type: "event", from: bus.inbox, documentId: event.documentId, json: JSON.stringify(event), userIds: audience ? admitted(ctx, event.documentId, audience) : null });
    },
    access(documentId: string) {
      bus.toEveryone({ type: "access", from: bus.inbox, documentId });
    },
    userEvent(userId: string, meetingId: string, event: DocumentEvent) {
      bus.toEveryone({ type: "userEvent", from: bus.inbox, userId, meetingId, json: JSON.stringify(event) });
    },
  };
  const sockets = sessionSocketsOf(ctx);
  sockets.crossing = (userId, tokenHash, end) =>
    bus.toEveryone({ type: "sessionsEnded", from: bus.inbox, userId, tokenHash: tokenHash ?? "", code: end.code, reason: end.reason });
  return (m) => {
    if (!("from" in m) || m.from === bus.inbox) return;
    // Only where the room is: elsewhere `publish` and `refreshAccess` would send it across again.
    if (m.type === "event" && rooms.get(m.documentId)) {
      const ids = m.userIds === null ? null : new Set(m.userIds);
      rooms.publish(JSON.parse(m.json) as DocumentEvent, ids === null ? undefined : (user) => ids.has(user.id));
    } else if (m.type === "access" && rooms.get(m.documentId)) {
      rooms.refreshAccess(m.documentId);
    } else if (m.type === "userEvent") {
      rooms.deliverToUser(m.userId, m.meetingId, JSON.parse(m.json) as DocumentEvent);
    } else if (m.type === "sessionsEnded") {
      sockets.closeHere(m.userId, m.tokenHash === "" ? null : m.tokenHash, { code: m.code, reason: m.reason });
    }
  };
}
