/**
 * The contract between the document page and its panels (amendments, register, lifecycle
 * and sign-off, versions, consolidation). A panel talks to the server through `api`,
 * learns of changes through `events`, and touches the text view only through `view`;
 * no panel talks to another directly.
 */
import type { CanonicalDocument, Role } from "../../schema/index.js";
import type { DocumentInfo } from "../../schema/api/documents.js";
import type { PageEvent } from "../document/events.js";
import type { SessionPerson } from "../../schema/api/session.js";
import type { ReasonCode } from "../../schema/lifecycle.js";

/** An error answer of the API: status, sentence, every blocking reason, and its stable code with the values it names. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly reasons: string[] = [],
    readonly code: string | null = null,
    readonly params: Record<string, string | number> = {},
    /** Each reason's code and values, in the order of `reasons` (null for one without). */
    readonly reasonCodes: ReadonlyArray<ReasonCode | null> = [],
  ) {
    super(message);
  }
}

/** The typed HTTP client shared by every panel (CSRF token and cookie handled inside). */
export interface ApiClient {
  get<T>(path: string): Promise<T>;
  post<T>(path: string, body?: unknown): Promise<T>;
  put<T>(path: string, body?: unknown): Promise<T>;
  patch<T>(path: string, body?: unknown): Promise<T>;
  delete<T>(path: string, body?: unknown): Promise<T>;
}

/**
 * The signed-in person as a member of the meeting the page is about: their role,
 * delegation and chairs there (see `memberView` in app/session.ts).
 */
export type SessionUser = Omit<SessionPerson, "role" | "meetingId"> & { role: Role; meetingId: string };

/** A document, as `GET /api/documents/:id` returns it. */
export type { DocumentInfo } from "../../schema/api/documents.js";

/** A negotiation event pushed by the server (websocket message type 100). */
export type { DocumentEvent } from "../../schema/api/events.js";

/** The selection in the text, in a paragraph's own character offsets. */
export interface TextSelection {
  paragraphId: string;
  from: number;
  to: number;
  text: string;
}

/** What a panel may do to the text view. */
export interface ViewAccess {
  /** Scrolls to a paragraph and flashes it. */
  scrollToParagraph(paragraphId: string): void;
  /** Scrolls to a paragraph, puts the caret at its start and the keyboard focus in the text. */
  focusParagraph(paragraphId: string): void;
  /** The current selection if it lies within one paragraph, else null. */
  selection(): TextSelection | null;
  /** The ids of the blocks the selection touches, in document order (the caret's one when nothing is selected). */
  selectedParagraphs(): string[];
  /**
   * Where a comment on the selection would stand: its paragraph and, when words are
   * selected, their range as two Yjs relative positions (base64); null outside a paragraph.
   */
  selectionAnchor(): { paragraphId: string; range: { start: string; end: string } | null; quote: string | null } | null;
  /** The canonical form of the text as this client has it now (numbers, refs, brackets). */
  canonical(): CanonicalDocument;
  /** Calls `fn` whenever the text changes; returns an unsubscribe function. */
  onTextChange(fn: () => void): () => void;
  /**
   * Calls `fn` whenever the server has stored a change of the text (anyone's, this
   * person's own once accepted): the moment to ask the server about the text again.
   * Returns an unsubscribe function.
   */
  onServerText(fn: () => void): () => void;
}

/** Everything a panel gets when it is mounted. */
export interface PanelContext {
  api: ApiClient;
  user: SessionUser;
  /** The document as last loaded; refreshed after `document.*` events. */
  document(): DocumentInfo;
  /** Reloads the document info (state, symbol, access) and notifies listeners. */
  refreshDocument(): Promise<void>;
  /** Subscribes to server events of this document (`"*"` for all); returns unsubscribe. */
  onEvent<T extends PageEvent["type"] | "*">(type: T, fn: (event: T extends "*" ? PageEvent : Extract<PageEvent, { type: T }>) => void): () => void;
  view: ViewAccess;
  /** Shows a short message in the page's status area (errors from the server included). */
  notify(message: string, kind?: "info" | "error"): void;
}

/** A panel of the document page. */
export interface Panel {
  id: string;
  title: string;
  /** Whether to offer the panel at all for this user and document. */
  available?(ctx: PanelContext): boolean;
  /** Renders into `el`; returns a function that unmounts it. */
  mount(el: HTMLElement, ctx: PanelContext): () => void;
}
