import type { DocumentState } from "../../schema/index.js";
import type { ExportBracket, ExportFootnote, ExportModel, ExportNote, ExportParagraph, ExportSignature } from "./types.js";

/** A piece of a paragraph as printed: formatted text, a bracket opening or closing, or a reference note's marker. */
export type Piece =
  | { type: "text"; text: string; em: boolean; strong: boolean }
  | { type: "open"; bracket: ExportBracket }
  | { type: "close"; bracket: ExportBracket }
  | { type: "note"; note: ExportNote };

/**
 * A paragraph as a flat sequence of pieces: its runs cut wherever a bracket opens or
 * closes, with the brackets in between. Flat, so that a renderer can wrap each text piece
 * in its own formatting and keep brackets properly nested whatever the runs' boundaries.
 * At one offset brackets close before others open (adjacent options `[a][b]`), inner ones
 * close before outer ones and outer ones open before inner ones (as `drawBrackets` does).
 * A reference note's marker follows the text before its point: after the brackets that
 * close there, before those that open, in the notes' order.
 */
export function paragraphPieces(paragraph: Pick<ExportParagraph, "runs" | "brackets"> & Partial<Pick<ExportParagraph, "notes">>): Piece[] {
  // rank: 0 a bracket closing, 1 a note, 2 a bracket opening.
  type Mark = { at: number; rank: number; piece: Piece; bracket: ExportBracket | null };
  const marks: Mark[] = [];
  for (const bracket of paragraph.brackets) {
    if (bracket.opens) marks.push({ at: bracket.from, rank: 2, piece: { type: "open", bracket }, bracket });
    if (bracket.closes) marks.push({ at: bracket.to, rank: 0, piece: { type: "close", bracket }, bracket });
  }
  const length = paragraph.runs.reduce((n, r) => n + r.text.length, 0);
  for (const note of paragraph.notes ?? []) marks.push({ at: Math.min(Math.max(0, note.at), length), rank: 1, piece: { type: "note", note }, bracket: null });
  marks.sort(
    (a, b) =>
      a.at - b.at ||
      a.rank - b.rank ||
      (a.bracket && b.bracket ? (a.rank === 0 ? b.bracket.from - a.bracket.from : b.bracket.to - a.bracket.to) : 0),
  );
  const pieces: Piece[] = [];
  let runIndex = 0;
  let runStart = 0;
  let at = 0;
  // Emits the text of [at, until) run by run.
  const textUntil = (until: number) => {
    while (at < until && runIndex < paragraph.runs.length) {
      const run = paragraph.runs[runIndex]!;
      const runEnd = runStart + run.text.length;
      const end = Math.min(until, runEnd);
      if (end > at) pieces.push({ type: "text", text: run.text.slice(at - runStart, end - runStart), em: run.em, strong: run.strong });
      at = end;
      if (at >= runEnd) {
        runIndex += 1;
        runStart = runEnd;
      }
    }
  };
  for (const mark of marks) {
    textUntil(mark.at);
    // A labelled option of whole paragraphs: "Option 2: [To request …]".
    if (mark.piece.type === "open" && mark.piece.bracket.optionLabel)
      pieces.push({ type: "text", text: `${mark.piece.bracket.optionLabel}: `, em: true, strong: false });
    pieces.push(mark.piece);
  }
  textUntil(Infinity);
  return pieces;
}

/** What follows a closing bracket in the compilation style: `B1: USA, CAN`, or the label alone; empty without a label. */
export function bracketNote(bracket: ExportBracket): string {
  const supported = bracket.supporters.length ? `supported by ${bracket.supporters.join(", ")}` : "";
  const held = [bracket.holders.join(", "), supported].filter(Boolean).join("; ");
  if (!bracket.label) return held;
  return held ? `${bracket.label}: ${held}` : bracket.label;
}

/** An operative label as printed: `1.` and `7 bis.` for a numbered paragraph, `(a)` and `(i)` as they are. */
export function printedNumber(number: string): string {
  return /^\d+(\s+[a-z]+)?$/.test(number) ? `${number}.` : number;
}

/**
 * What follows a closing bracket in a circulated text: its holders as negotiators type
 * them, ` (USA, CAN)`, or nothing when nobody holds it. Word processors and Accord's own
 * import read this form back as the bracket's holders.
 */
export function holderList(bracket: ExportBracket): string {
  return bracket.holders.length ? ` (${bracket.holders.join(", ")})` : "";
}

/** A bracket's note in the compilation view: its option, who proposed it and who holds it (`B2, option 2 of 2, proposed by CAN: held by USA, MEX`). */
export function compilationNote(bracket: ExportBracket): string {
  const parts = [bracket.label ?? "Bracket"];
  if (bracket.option) parts.push(`option ${bracket.option.index} of ${bracket.option.of}`);
  if (bracket.proposedBy) parts.push(`proposed by ${bracket.proposedBy}`);
  const held = bracket.holders.length ? `held by ${bracket.holders.join(", ")}` : "held by no delegation";
  const supported = bracket.supporters.length ? `; supported by ${bracket.supporters.join(", ")}` : "";
  return `${parts.join(", ")}: ${held}${supported}`;
}

/** The text of a reservation's footnote: who, on what, how, and the statement. */
export function reservationNote(footnote: ExportFootnote): string {
  const who = footnote.delegationName ? `${footnote.delegationName} (${footnote.delegation})` : footnote.delegation;
  const where =
    footnote.on === "paragraph" ? ` on ${footnote.ref ?? "a paragraph"}` : footnote.on === "document" ? " on the document as a whole" : " on a paragraph not in this text";
  return `${who}, reservation${where}${footnote.withSignature ? ", made on signature" : ""}: ${footnote.text}`;
}

/** One signature as a line of the closing block. */
export function signatureLine(s: ExportSignature): string {
  const who = s.delegationName ? `${s.delegationName} (${s.delegation})` : s.delegation;
  const validity = s.valid ? "valid" : `not valid${s.problem ? `: ${s.problem}` : ""}`;
  return `${who}: signed by ${s.minister ?? "unknown"}, ${s.signedAt ? printedTime(s.signedAt) : "time unknown"}; ${validity}`;
}

/** The printed note of an agreed paragraph: what official compilations print after it, or null. */
export function statusNote(paragraph: Pick<ExportParagraph, "status"> & Partial<Pick<ExportParagraph, "annotations">>): string | null {
  const noted = paragraph.annotations?.some((a) => a.kind === "agreed_ad_ref") ?? false;
  return paragraph.status === "ad_ref" || noted ? "[Agreed ad ref]" : null;
}

/** The facilitator's notes on a paragraph as negotiating texts print them, in braces, on lines after it. */
export function facilitatorNotes(paragraph: Partial<Pick<ExportParagraph, "annotations">>): string[] {
  return (paragraph.annotations ?? []).filter((a) => a.kind === "facilitator").map((a) => `{${a.text}}`);
}

/** The letter of the n-th reference note (a … z, then aa, ab …): never read as a reservation's number. */
export function noteLetter(n: number): string {
  let out = "";
  for (let k = n; k > 0; k = Math.floor((k - 1) / 26)) out = String.fromCharCode(97 + ((k - 1) % 26)) + out;
  return out;
}

const LANGUAGE_NAMES: Record<string, string> = { en: "English", es: "Spanish", fr: "French", pt: "Portuguese", ar: "Arabic", zh: "Chinese", ru: "Russian" };

/** A language code as the masthead prints it (`Original: Spanish`); an unknown code as it is. */
function languageName(code: string): string {
  return LANGUAGE_NAMES[code.toLowerCase().split("-")[0]!] ?? code;
}

/** The masthead's lines under the symbol, each only when the document has the field. */
export function mastheadLines(model: ExportModel): string[] {
  const { meta } = model;
  const lines = [printedDate(meta.textDate)];
  if (meta.originalLanguage) lines.push(`Original: ${languageName(meta.originalLanguage)}`);
  if (meta.distribution) lines.push(`Distribution: ${meta.distribution}`);
  if (meta.agendaItem) lines.push(`Agenda item ${meta.agendaItem}`);
  return lines;
}

/** The state line under the masthead (`Draft under negotiation (version "Rev.1")`, with the view when not the usual one). */
export function stateLine(model: ExportModel): string {
  const { meta } = model;
  const state = meta.versionLabel ? `${STATE_LABELS[meta.state]} (version "${meta.versionLabel}")` : STATE_LABELS[meta.state];
  return model.view === "current" ? state : `${state}: ${model.view === "clean" ? "clean text" : "compilation text"}`;
}

/** How the state of a document is printed on it. */
export const STATE_LABELS: Record<DocumentState, string> = {
  draft: "Draft",
  negotiation: "Draft under negotiation",
  agreed_ad_ref: "Agreed ad referendum",
  referred: "Referred to the plenary",
  adopted: "Adopted",
  signed: "Adopted and signed",
  withdrawn: "Withdrawn",
};

/** A timestamp as printed: `2009-03-27 14:05 UTC` (the meeting's readers are in several time zones). */
export function printedTime(iso: string): string {
  const match = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})/.exec(iso);
  return match ? `${match[1]} ${match[2]} UTC` : iso;
}

/** A date as printed: `27 March 2009`. */
export function printedDate(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return date.toLocaleDateString("en-GB", { day: "numeric", month: "long", year: "numeric", timeZone: "UTC" });
}

/**
 * A symbol as one name part, for file names and URIs: `/` and spaces become `-`, the space
 * after an abbreviation's dot goes (`RTP-II/doc.5/09 rev. 1` → `RTP-II-doc.5-09-rev.1`);
 * only ASCII letters, digits, `.` and `-` remain, so no file system, header or URI needs
 * to escape it.
 */
export function symbolSlug(symbol: string): string {
  return (
    symbol
      .replace(/\.\s+/g, ".")
      .replace(/[^A-Za-z0-9.]+/g, "-")
      .replace(/^[-.]+|[-.]+$/g, "") || "document"
  );
}
