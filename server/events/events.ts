import type { User } from "../auth/users.js";
import type { DocumentEvent, DocumentEventPayloads, DocumentEventType } from "../../schema/api/events.js";

export type { DocumentEvent };

/**
 * Builds a negotiation event stamped now, to push to every client that has the document
 * open. Its name and payload are those of schema/api/events.ts, which the editor reads too.
 */
export function documentEvent<T extends DocumentEventType>(
  documentId: string,
  type: T,
  data: DocumentEventPayloads[T],
  actor?: { username: string | null; delegation: string | null; role: string | null } | null,
): DocumentEvent<T> {
  return {
    type,
    documentId,
    at: new Date().toISOString(),
    ...(actor?.username && actor.role ? { actor: { username: actor.username, delegation: actor.delegation, role: actor.role } } : {}),
    data,
  } as DocumentEvent<T>;
}

/** Which of a document's open connections may receive an event (a delegation's note: its own members only). */
export type EventAudience = (user: User) => boolean;
