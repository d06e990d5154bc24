import type { Request, Response } from "express";
import type { Session } from "../auth/sessions.js";
import { sessionSocketsOf } from "../collab/session-sockets.js";
import type { AppContext } from "../context.js";
import type { DocumentEvent } from "../events/events.js";

/**
 * How often an idle stream sends a comment line: proxies and browsers drop a connection
 * that says nothing for a minute or two, and a write is how a dead one is noticed.
 */
const KEEP_ALIVE_MS = 25_000;

/** One open live inbox stream: a member's, for one meeting. */
interface InboxStream {
  meetingId: string;
  send(event: DocumentEvent): void;
}

// Per server: its open streams by user id.
const streamsOf = new WeakMap<AppContext, Map<string, Set<InboxStream>>>();

function registry(ctx: AppContext): Map<string, Set<InboxStream>> {
  let streams = streamsOf.get(ctx);
  if (!streams) streamsOf.set(ctx, (streams = new Map()));
  return streams;
}

/**
 * Answers `GET /api/meetings/:id/notifications/live` with a server-sent event stream that
 * carries the member's `notification.*` events of this meeting, whatever page they are on
 * (a document's socket carries them only while that document is open). The stream ends
 * with the session (sign-out, expiry, changed access), as the collaboration sockets do.
 */
export function openInboxStream(ctx: AppContext, session: Session, meetingId: string, req: Request, res: Response): void {
  res.status(200);
  res.set({ "Content-Type": "text/event-stream; charset=utf-8", "Cache-Control": "no-store", "X-Accel-Buffering": "no" });
  res.flushHeaders();
  // A comment line at once: the client's `open` fires, and it counts what it may have missed.
  res.write(": inbox\n\n");
  const socket = sessionSocketsOf(ctx).add(session, () => res.end());
  const userId = session.person.id;
  const stream: InboxStream = {
    meetingId,
    send(event) {
      if (socket.admits()) res.write(`data: ${JSON.stringify(event)}\n\n`);
    },
  };
  const streams = registry(ctx);
  let mine = streams.get(userId);
  if (!mine) streams.set(userId, (mine = new Set()));
  mine.add(stream);
  const keepAlive = setInterval(() => {
    if (socket.admits()) res.write(": keep-alive\n\n");
  }, KEEP_ALIVE_MS);
  keepAlive.unref();
  req.on("close", () => {
    clearInterval(keepAlive);
    socket.remove();
    mine.delete(stream);
    if (mine.size === 0 && streams.get(userId) === mine) streams.delete(userId);
  });
}

/** Sends an inbox event to the member's open live streams of its meeting. */
export function sendToInboxStreams(ctx: AppContext, userId: string, meetingId: string, event: DocumentEvent): void {
  for (const stream of streamsOf.get(ctx)?.get(userId) ?? []) if (stream.meetingId === meetingId) stream.send(event);
}
