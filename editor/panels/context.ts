/**
 * The contract between the document page and its panels (amendments, register, lifecycle
 * and sign-off, versions, consolidation). A panel talks to the server through `api`,
 * learns of changes through `events`, and touches the text view only through `view`;
 * no panel talks to another directly.
 */
import type { CanonicalDocument } from "../../schema/index.js";

/** An error answer of the API: status, sentence, and every blocking reason. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly reasons: string[] = [],
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

/** The signed-in user, as `GET /api/session` returns it. */
export interface SessionUser {
  id: string;
  username: string;
  displayName: string;
  role: "secretariat" | "chair" | "rapporteur" | "delegate" | "minister" | "observer" | "translator";
  delegation: string | null;
  meetingId: string;
  chairOf: string[];
  /** For a translator: the languages they translate into. */
  languages?: string[];
}

/** A document, as `GET /api/documents/:id` returns it. */
export interface DocumentInfo {
  id: string;
  meetingId: string;
  bodyId: string;
  kind: "declaration" | "resolution" | "decision" | "report" | "group_report" | "work_programme" | "rapporteur_report";
  title: string;
  symbol: string;
  state: "draft" | "negotiation" | "agreed_ad_ref" | "referred" | "adopted" | "signed" | "withdrawn";
  access: { canWrite: boolean; reason: string | null; chair: boolean };
  /** The language of its text (null: the meeting's first). */
  language?: string | null;
  /** For a language version: its original's id (null for an original). */
  originalId?: string | null;
  /** The fields printed above the title (absent on servers without them). */
  masthead?: {
    series: string | null;
    symbol: string;
    date: string | null;
    originalLanguage: string | null;
    distribution: string | null;
    agendaItem: string | null;
    sponsors: string | null;
  } | null;
  [extra: string]: unknown;
}

/** A negotiation event pushed by the server (websocket message type 100). */
export interface DocumentEvent {
  type: string;
  documentId: string;
  at: string;
  actor?: { username: string; delegation: string | null; role: string };
  data?: unknown;
}

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
  onEvent(type: string, fn: (event: DocumentEvent) => void): () => void;
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
