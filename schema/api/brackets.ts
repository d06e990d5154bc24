/**
 * Brackets as the API gives them (docs/API.md, "Brackets"): one bracket, the register of
 * a document, and the typed "[" and "]" that are no bracket marks.
 */

/** States of a bracket (docs/ARCHITECTURE.md §2): resolved keeps the text, removed deletes it. */
export const BRACKET_STATES = ["open", "resolved", "removed"] as const;
/** One bracket state. */
export type BracketState = (typeof BRACKET_STATES)[number];

/** How a bracket ended: by the chair's resolution, or because an edit deleted its text. */
export type ClosedHow = "kept" | "deleted" | "chosen" | "not_chosen" | "text_deleted";

/** What a bracket encloses: a span of one paragraph's text, or whole consecutive paragraphs. */
export type BracketScope = "text" | "paragraphs";

/** One step in a bracket's life, from the audit trail. */
export interface BracketHistoryEntry {
  at: string;
  action: string;
  username: string | null;
  delegation: string | null;
  details: Record<string, unknown>;
}

/** A bracket as the API returns it. */
export interface Bracket {
  id: string;
  /** Per-document label: B1, B2… */
  label: string;
  documentId: string;
  paragraphId: string;
  /** How delegates cite the paragraph now (OP3), or as last seen if it was deleted. */
  paragraphRef: string | null;
  /** `text` (a span of one paragraph) or `paragraphs` (whole consecutive paragraphs). */
  scope: BracketScope;
  /** Every paragraph the bracket stands in, in order: `[paragraphId]` for a span. */
  paragraphIds: string[];
  /** How delegates cite each of them now (as `paragraphRef` does for the first). */
  paragraphRefs: Array<string | null>;
  group: string | null;
  /** The text standing between the previous option of its group and this one (" / "); null for the first. */
  separator: string | null;
  /** "Option 1" for a labelled alternative of whole paragraphs; else null. */
  optionLabel: string | null;
  /** True for the option "No text": choosing it leaves none of the group's paragraphs. */
  noText: boolean;
  /** The bracketed words (NFC): as they stand while open, as last seen once closed. */
  text: string;
  /** NFC UTF-16 offsets in the paragraph's text while the bracket stands there; else null. */
  from: number | null;
  to: number | null;
  /** Delegations or groups objecting to the wording, in joining order. */
  holders: string[];
  /** Delegations or groups that support the wording, in the order they said so. */
  supporters: string[];
  state: BracketState;
  openedBy: { username: string | null; delegation: string | null };
  openedAt: string;
  closed: { how: ClosedHow; by: string | null; reason: string | null; at: string } | null;
  /** Every step from the audit trail, oldest first; left out of lists unless asked for. */
  history?: BracketHistoryEntry[];
}

/** A typed "[" (with its partner `close`, if any) or a lone "]" in a paragraph's text. */
export interface TypedBracket {
  paragraphId: string;
  paragraphRef: string | null;
  /** NFC UTF-16 offset of the "[" (or of a lone "]") in the paragraph's text. */
  offset: number;
  /** Offset of the matching "]" when the "[" has one in the same paragraph; else null. */
  close: number | null;
  /** The typed bracket with a little of the text around it, for a person to find it. */
  excerpt: string;
}

/** The bracket register of a document (`GET /api/documents/:id/brackets`). */
export interface BracketRegister {
  /** No open bracket and no typed bracket anywhere in the document. */
  clean: boolean;
  counts: { open: number; resolved: number; removed: number; typed: number; paragraphs: number; holders: Record<string, number> };
  /** Every bracket (open ones first, in text order; then closed ones in opening order). */
  brackets: Bracket[];
  /** Open bracket ids by paragraph ref (OP3), in document order. */
  byParagraph: Record<string, string[]>;
  /** Open bracket ids by holding delegation or group, in alphabetical order. */
  byHolder: Record<string, string[]>;
  /** Open bracket ids by supporting delegation or group, in alphabetical order. */
  bySupporter: Record<string, string[]>;
  /** Literal "[" and "]" in the text that are no bracket marks, in text order (a matched pair once). */
  typed: TypedBracket[];
}

/** `GET /api/meetings/:id/bracket-holders`: who may hold or support a bracket in the meeting: its delegations' codes, and among them its groups'. */
export interface BracketHolders {
  delegations: string[];
  groups: string[];
}
