/**
 * Documents as the API gives them: in a meeting's list, and one document with its
 * masthead and what the caller may do with it.
 */
import type { DocumentKind, DocumentState } from "../roles.js";
import type { CanonicalDocument } from "../canonical.js";

/** Why and since when a document is quarantined (its stored text is damaged; nobody can open it until it is repaired). */
export interface Quarantine {
  since: string;
  reason: string;
}

/** A document as `GET /api/meetings/:id/documents` lists it. */
export interface DocumentSummary {
  id: string;
  meetingId: string;
  bodyId: string;
  kind: DocumentKind;
  title: string;
  symbol: string;
  state: DocumentState;
  /** The language the text was written in (null: the meeting's first). */
  language: string | null;
  /** For a language version: the id of its original; null for an original. */
  originalId: string | null;
  createdAt: string;
  updatedAt: string;
  quarantine: Quarantine | null;
}

/** The fields printed above a document's title (absent ones are null). */
export interface DocumentMasthead {
  /** The series symbol: the document's own when its file named one, else the meeting's. */
  series: string | null;
  symbol: string;
  date: string | null;
  originalLanguage: string | null;
  distribution: string | null;
  agendaItem: string | null;
  sponsors: string | null;
}

/** What the caller may do with a document: write its text (or why not) and chair it. */
export interface DocumentAccess {
  canWrite: boolean;
  /** Why the caller may not write, or null when they may. */
  reason: string | null;
  /** The reason's stable code (docs/API.md, "Error codes"), absent while the caller may write. */
  reasonCode?: string;
  /** The values the reason names, for a client that words it in another language. */
  reasonParams?: Record<string, string>;
  chair: boolean;
}

/** A document, as `GET /api/documents/:id` returns it. */
export interface DocumentInfo extends DocumentSummary {
  masthead: DocumentMasthead | null;
  access: DocumentAccess;
}

/** `GET /api/documents/:id/content`: the canonical form of the document's current text and its hash. */
export interface DocumentContent {
  canonical: CanonicalDocument;
  hash: string;
}
