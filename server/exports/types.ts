import type { BlockKind, DocumentKind, DocumentState } from "../../schema/index.js";

/**
 * The plain model an export is rendered from: everything the printed document shows, and
 * nothing the renderers would have to look up. `model.ts` assembles it from the store;
 * `render-html.ts` and `render-text.ts` turn it into a page without any I/O, so each can
 * be tested on a hand-written model.
 */
export interface ExportModel {
  meta: ExportMeta;
  /** Which text is shown: as negotiated, clean (no bracket stands), or the compilation of every option. */
  view: ExportView;
  /** Every block of the text, in order. */
  paragraphs: ExportParagraph[];
  /** Footnote numbers attached to the title: reservations on the whole document, or on a paragraph not in this text. */
  titleFootnotes: number[];
  /** Every standing reservation, by footnote number. */
  footnotes: ExportFootnote[];
  /** Adoption and signatures; null unless the exported text is the adopted one of an adopted or signed document. */
  closing: ExportClosing | null;
  /** The document's life so far, oldest first: its creation and every stored version. */
  lifecycle: ExportEvent[];
  /** When the text is compared with another version: each paragraph's changes since it, for tracked changes. */
  comparison?: ExportComparison;
}

/** The views of a text an export can show. */
export const EXPORT_VIEWS = ["current", "clean", "compilation"] as const;
/**
 * `current`: the text as negotiated, open brackets drawn with their label and holders;
 * `clean`: the text once brackets are resolved (only when none stands);
 * `compilation`: every option of every bracket with who proposed it and who holds it.
 */
export type ExportView = (typeof EXPORT_VIEWS)[number];

/** One step in a document's life, for the lifecycle of an archival export. */
export interface ExportEvent {
  /** `created`, or the state a stored version recorded (`negotiation`, `adopted`…). */
  name: string;
  /** The version's label, or null for the creation. */
  label: string | null;
  symbol: string;
  at: string;
}

/** What changed since an older version, paragraph by paragraph, for Word's tracked changes. */
export interface ExportComparison {
  /** The older version's symbol and label, named in the masthead. */
  fromSymbol: string;
  fromLabel: string;
  /** When the newer text was stored, the date of the tracked changes. */
  at: string;
  /** Every paragraph of the newer text plus the deleted ones, in the newer order. */
  paragraphs: ExportChangedParagraph[];
}

/** One paragraph of a comparison: inserted whole, deleted whole, or its text's word diff. */
export interface ExportChangedParagraph {
  id: string;
  change: "added" | "deleted" | "moved" | "changed" | "same";
  kind: ExportParagraph["kind"];
  level: number;
  /** The number on the newer side, or the older one for a deleted paragraph. */
  number: string | null;
  /** The older number when it differs ("moved from 3"). */
  fromNumber: string | null;
  runs: Array<{ op: "equal" | "insert" | "delete"; text: string }>;
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
  /** The language of the exported text (BCP 47, e.g. `en`). */
  language: string;
  /** The language the text was negotiated in, when known. */
  originalLanguage: string | null;
  /** Masthead fields the document may not have yet: printed when present, left out when null. */
  distribution: string | null;
  agendaItem: string | null;
  sponsors: string[];
  /** The document's id and, for a stored version, the version's: the archival identifiers. */
  documentId: string;
  versionId: string | null;
  /** Where the adopted text's hash and signatures are verified (the verification route). */
  verificationUrl: string;
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
  /** Delegations or groups supporting its wording now (printed in the compilation view). */
  supporters: string[];
  /** Whether its "[" stands in this paragraph: false in the later paragraphs of a bracket around several. */
  opens: boolean;
  /** Whether its "]" stands in this paragraph: false in the earlier paragraphs of a bracket around several. */
  closes: boolean;
  /** "Option 1" for a labelled alternative of whole paragraphs, printed before its "["; else null. */
  optionLabel: string | null;
  /** The delegation that opened it, when known. */
  proposedBy: string | null;
  /** Its place among the alternatives of its option group (`1` of `2`); null outside a group. */
  option: { index: number; of: number } | null;
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
  /** Its agreement, printed as a note where official texts print it (`[Agreed ad ref]`); null when not agreed. */
  status: "yellow" | "green" | "ad_ref" | null;
  /** The secretariat's reference footnotes on it (distinct from reservations), each printed at its point of the text, in text order. */
  notes: ExportNote[];
  /** Its annotations: "[Agreed ad ref]" printed after its text, facilitator's notes printed in braces after it. */
  annotations: ExportAnnotation[];
}

/** A paragraph annotation: not text, printed where negotiating texts print it. */
export interface ExportAnnotation {
  kind: "agreed_ad_ref" | "facilitator";
  text: string;
}

/** A reference footnote of the secretariat's. */
export interface ExportNote {
  /** The marker the source had ("1", "*"); renderers number notes themselves. */
  marker: string | null;
  text: string;
  /** Where its marker stands: a UTF-16 offset into the concatenated text of the paragraph's runs (the marker follows the text before it). */
  at: number;
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
