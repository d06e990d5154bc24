/**
 * The secretariat's reference footnotes as the API gives them (docs/API.md, "Reference
 * footnotes"): each placed in a text, with the anchor an editor places it by.
 */

/**
 * Where a reference footnote stands: `anchor`, at the point the secretariat placed it,
 * following the text through every edit; `offset`, where an import found it (a note placed
 * before anchors existed does not follow later edits); `end`, at the end of its paragraph
 * because the text it followed was deleted.
 */
export type NotePlacement = "anchor" | "offset" | "end";

/** A secretariat's reference footnote as the API returns it (`GET /api/documents/:id/footnotes`), placed in a text. */
export interface ReferenceNote {
  id: string;
  paragraphId: string;
  /** The paragraph's reference in the text (`OP3`), null for blocks without one or a paragraph no longer in the text. */
  ref: string | null;
  /** NFC UTF-16 offset into the paragraph's text: the note's marker follows the text before it. */
  offset: number;
  placement: NotePlacement;
  /** The Yjs relative position it is anchored by (base64 of `Y.encodeRelativePosition`), for an editor to place it in its own copy; null for a note without one. */
  anchor: string | null;
  /** The marker the source had (an import's "1", "*"), null for notes placed in Accord. */
  marker: string | null;
  text: string;
  createdBy: string | null;
  createdAt: string;
  updatedBy: string | null;
  updatedAt: string | null;
}

/** `footnote.removed`: which footnote went, and from which paragraph. */
export interface ReferenceNoteRemoved {
  id: string;
  paragraphId: string;
}
