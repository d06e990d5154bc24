import type { BlockKind, DocumentKind, DocumentState } from "../../schema/index.js";

/**
 * The plain model an export is rendered from: everything the printed document shows, and
 * nothing the renderers would have to look up. `model.ts` assembles it from the store;
 * `render-html.ts` and `render-text.ts` turn it into a page without any I/O, so each can
 * be tested on a hand-written model.
 */
export interface ExportModel {
  meta: ExportMeta;
  /** Every block of the text, in order. */
  paragraphs: ExportParagraph[];
  /** Footnote numbers attached to the title: reservations on the whole document, or on a paragraph not in this text. */
  titleFootnotes: number[];
  /** Every standing reservation, by footnote number. */
  footnotes: ExportFootnote[];
  /** Adoption and signatures; null unless the exported text is the adopted one of an adopted or signed document. */
  closing: ExportClosing | null;
}

/** What the masthead and the colophon say about the document. */
export interface ExportMeta {
  meetingTitle: string;
  /** The meeting's series symbol, e.g. `OEA/Ser.K/XXXIX.2`. */
  seriesSymbol: string;
  /** The document's symbol as of the exported text, e.g. `RTP-II/doc.5/09 rev. 1`. */
  symbol: string;
  /** The document's title (used when the text has no title block). */
  title: string;
  kind: DocumentKind;
  state: DocumentState;
  /** The version's label ("as adopted") when a stored version is exported; null for the current text. */
  versionLabel: string | null;
  /** When the exported text was stored (a version) or read (the current text), ISO 8601. */
  textDate: string;
  /** The canonical SHA-256 of the exported text. */
  hash: string;
  /** When the export was made, ISO 8601. */
  generatedAt: string;
}

/** A run of text with its formatting (NFC). */
export interface ExportRun {
  text: string;
  em: boolean;
  strong: boolean;
}

/** A bracket standing in a paragraph of the exported text. */
export interface ExportBracket {
  id: string;
  /** `B1`…; null when the store has no record of it. */
  label: string | null;
  /** UTF-16 offsets into the concatenated text of the paragraph's runs. */
  from: number;
  to: number;
  /** Delegations holding it now, in joining order (empty for an option nobody holds, or a bracket closed since). */
  holders: string[];
}

/** One block of the exported text. */
export interface ExportParagraph {
  id: string;
  kind: BlockKind;
  level: number;
  /** The operative label (`1`, `(a)`, `(i)`), null for other blocks. */
  number: string | null;
  /** How delegates cite it (`OP1(a)`, `PP3`), null for title, chapeau, headings. */
  ref: string | null;
  runs: ExportRun[];
  brackets: ExportBracket[];
  /** Footnote numbers of the reservations on this paragraph. */
  footnotes: number[];
}

/** A standing reservation, printed as a footnote. */
export interface ExportFootnote {
  number: number;
  delegation: string;
  /** The delegation's name in the meeting, when known. */
  delegationName: string | null;
  /** `paragraph`: on a paragraph of this text; `document`: on the whole document; `elsewhere`: on a paragraph not in this text. */
  on: "paragraph" | "document" | "elsewhere";
  /** The paragraph's reference in this text (`OP3`), null unless `on` is `paragraph`. */
  ref: string | null;
  text: string;
  /** Made with a signature (rather than lodged on its own). */
  withSignature: boolean;
  createdAt: string;
}

/** One signature in the closing block. */
export interface ExportSignature {
  delegation: string;
  delegationName: string | null;
  /** The minister's display name (or username when the account is gone); null when only the audit trail knows the signature. */
  minister: string | null;
  signedAt: string | null;
  /** Standing, intact and on the adopted text (the same test as the document's verification). */
  valid: boolean;
  /** What is wrong with it, when not valid. */
  problem: string | null;
  /** The footnote of the reservation it came with. */
  footnote: number | null;
}

/** The adoption of the text and who signed it. */
export interface ExportClosing {
  adoptedSymbol: string;
  adoptedAt: string;
  adoptedHash: string;
  /** Whether the exported text hashes to the adopted hash (false only when something changed the text after adoption). */
  matchesText: boolean;
  /** Standing signatures in signing order, then any the audit trail records but the table lost. */
  signatures: ExportSignature[];
  /** Required signatories that have not signed. */
  missing: string[];
}
