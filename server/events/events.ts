import type { User } from "../auth/users.js";

/**
 * A negotiation event pushed to every client that has a document open (websocket message
 * type 100, JSON). `type` names what happened in the domain's words, e.g.
 * `amendment.tabled`, `bracket.resolved`, `document.transitioned`, `access.changed`.
 */
export interface DocumentEvent {
  type: string;
  documentId: string;
  at: string;
  /** Who caused it, when a person did. */
  actor?: { username: string; delegation: string | null; role: string } | null;
  /** The changed object as the API returns it, or a small description. */
  data?: unknown;
}

/** Builds an event stamped now. */
export function documentEvent(
  documentId: string,
  type: string,
  data?: unknown,
  actor?: { username: string | null; delegation: string | null; role: string | null } | null,
): DocumentEvent {
  return {
    type,
    documentId,
    at: new Date().toISOString(),
    ...(actor?.username && actor.role
      ? { actor: { username: actor.username, delegation: actor.delegation, role: actor.role } }
      : {}),
    ...(data !== undefined ? { data } : {}),
  };
}

/** Which of a document's open connections may receive an event (a delegation's note: its own members only). */
export type EventAudience = (user: User) => boolean;
