import { bracketNote, facilitatorNotes, noteLetter, paragraphPieces, printedDate, printedNumber, printedTime, reservationNote, STATE_LABELS, statusNote } from "./pieces.js";
import type { ExportClosing, ExportFootnote, ExportModel, ExportParagraph } from "./types.js";

/** Columns of the plain text export: fits an 80-column terminal and a printed page in a monospaced font. */
const TEXT_WIDTH = 78;

const SUPERSCRIPT = "⁰¹²³⁴⁵⁶⁷⁸⁹";
// A footnote marker in plain text: superscript digits, because `[1]` or `(1)` would read as
// a bracket or a sub-paragraph number in a negotiated text.
const marker = (n: number) => [...String(n)].map((d) => SUPERSCRIPT[Number(d)]).join("");
// A reference note's marker: a superscript letter, as the PDF letters them, so that it
// never reads as a reservation's number (Unicode has a modifier letter for each).
const LETTERS = [..."ᵃᵇᶜᵈᵉᶠᵍʰⁱʲᵏˡᵐⁿᵒᵖ𐞥ʳˢᵗᵘᵛʷˣʸᶻ"];
const letterMarker = (n: number) => [...noteLetter(n)].map((c) => LETTERS[c.charCodeAt(0) - 97]).join("");

// Inside a bracket's note the spaces stand as this character while the text is wrapped, so
// that wrapping never splits `{B1: USA, CAN}`; they are spaces again in the output.
const GLUE = "\u0001";
const unglue = (lines: string[]) => lines.map((line) => line.replaceAll(GLUE, " "));

/**
 * Fills `text` into lines of at most `width` columns, breaking at spaces: the first line
 * starts with `first`, the following ones with `rest` (a hanging indent when `rest` is as
 * wide as `first`). A word longer than a line stands alone on its line.
 */
export function wrap(text: string, width: number, first = "", rest = first): string[] {
  const words = text.split(/[ \t\r\n]+/).filter((w) => w.length > 0);
  const lines: string[] = [];
  let line = first;
  let empty = true;
  for (const word of words) {
    if (!empty && line.length + 1 + word.length > width) {
      lines.push(line);
      line = rest;
      empty = true;
    }
    line += (empty ? "" : " ") + word;
    empty = false;
  }
  lines.push(line);
  return lines.map((l) => l.trimEnd());
}

function centred(text: string, width: number): string[] {
  return wrap(text, width).map((line) => " ".repeat(Math.max(0, Math.floor((width - line.length) / 2))) + line);
}

function rightAligned(text: string, width: number): string {
  return " ".repeat(Math.max(0, width - text.length)) + text;
}

/**
 * A paragraph's text in one line: open brackets drawn `[…]{B1: USA, CAN}`, reference notes'
 * markers where they stand (their texts collected in `notes`), formatting dropped.
 */
function paragraphText(paragraph: ExportParagraph, notes: string[]): string {
  let text = "";
  for (const piece of paragraphPieces(paragraph)) {
    if (piece.type === "note") {
      notes.push(piece.note.text);
      text += letterMarker(notes.length);
    } else if (piece.type === "open") text += "[";
    else if (piece.type === "close") {
      const note = bracketNote(piece.bracket);
      text += note ? `]{${note.replaceAll(" ", GLUE)}}` : "]";
    } else text += piece.text;
  }
  return text;
}

const INDENT = 5;

function blockLines(paragraph: ExportParagraph, extraFootnotes: readonly number[], width: number, notes: string[]): string[] {
  // Facilitator's notes follow the paragraph, in braces, as negotiating texts print them.
  const facilitator = facilitatorNotes(paragraph).flatMap((n) => ["", ...wrap(n, width)]);
  return [...unglue(blockLinesGlued(paragraph, extraFootnotes, width, notes)), ...facilitator];
}

function blockLinesGlued(paragraph: ExportParagraph, extraFootnotes: readonly number[], width: number, notes: string[]): string[] {
  const status = statusNote(paragraph);
  const text = paragraphText(paragraph, notes) + [...extraFootnotes, ...paragraph.footnotes].map(marker).join("") + (status ? ` ${status.replaceAll(" ", GLUE)}` : "");
  const level = Math.max(0, Math.min(3, paragraph.level));
  switch (paragraph.kind) {
    case "title":
      return centred(text.toLocaleUpperCase("en"), width);
    case "heading":
      return wrap(text, width);
    case "chapeau":
      return wrap(text, width, " ".repeat(INDENT), "");
    case "pp": {
      if (level === 0) return wrap(text, width, " ".repeat(INDENT), "");
      const pad = " ".repeat(INDENT * level);
      return wrap(text, width, pad, pad);
    }
    case "op": {
      const pad = " ".repeat(INDENT * level);
      const label = paragraph.number ? printedNumber(paragraph.number) : "";
      const first = pad + label.padEnd(INDENT - 1) + " ";
      return wrap(text, width, first, " ".repeat(first.length));
    }
    default:
      // A kind this renderer has no case for yet prints as a plain paragraph.
      return wrap(text, width);
  }
}

function footnoteLines(footnote: ExportFootnote, width: number): string[] {
  const first = `${marker(footnote.number)} `.padEnd(INDENT);
  return wrap(reservationNote(footnote), width, first, " ".repeat(INDENT));
}

function closingLines(closing: ExportClosing, width: number): string[] {
  const lines = ["-".repeat(width), "ADOPTION AND SIGNATURES", ""];
  lines.push(...wrap(`Adopted as ${closing.adoptedSymbol} on ${printedTime(closing.adoptedAt)}.`, width));
  lines.push(`Adopted text hash (SHA-256): ${closing.adoptedHash}`);
  if (!closing.matchesText) lines.push("WARNING: this text is not the adopted text; its hash differs from the adopted hash.");
  lines.push("");
  if (closing.signatures.length === 0) lines.push("No signature yet.");
  for (const s of closing.signatures) {
    const who = s.delegationName ? `${s.delegationName} (${s.delegation})` : s.delegation;
    const validity = s.valid ? "valid" : `NOT VALID${s.problem ? ` (${s.problem})` : ""}`;
    const note = s.footnote ? marker(s.footnote) : "";
    const time = s.signedAt ? printedTime(s.signedAt).replaceAll(" ", GLUE) : "time unknown";
    lines.push(...unglue(wrap(`${who}: signed by ${s.minister ?? "unknown"}, ${time}; ${validity}${note}`, width, "- ", "  ")));
  }
  if (closing.missing.length) lines.push("", ...wrap(`Not yet signed: ${closing.missing.join(", ")}.`, width));
  return lines;
}

/**
 * Renders a document as plain UTF-8 text wrapped at `width` columns: the same content as
 * the HTML export (symbols, text with operative numbers and open brackets drawn
 * `[…]{B1: USA, CAN}`, adoption and signatures), with the secretariat's reference notes
 * and the reservations as footnotes at the end, marked in the text by superscript letters
 * (where each note was placed) and numbers (after the paragraph).
 */
export function renderText(model: ExportModel, width = TEXT_WIDTH): string {
  const { meta } = model;
  const out: string[] = [];
  for (const line of [meta.seriesSymbol, meta.symbol, printedDate(meta.textDate)]) out.push(rightAligned(line, width));
  out.push("", ...wrap(meta.meetingTitle.toLocaleUpperCase("en"), width));
  out.push(meta.versionLabel ? `${STATE_LABELS[meta.state]} (version "${meta.versionLabel}")` : STATE_LABELS[meta.state], "");
  let titlePending = model.titleFootnotes;
  if (!model.paragraphs.some((p) => p.kind === "title")) {
    out.push(...centred(meta.title.toLocaleUpperCase("en") + titlePending.map(marker).join(""), width), "");
    titlePending = [];
  }
  const notes: string[] = [];
  for (const paragraph of model.paragraphs) {
    const extra = paragraph.kind === "title" ? titlePending : [];
    if (paragraph.kind === "title") titlePending = [];
    out.push(...blockLines(paragraph, extra, width, notes), "");
  }
  if (model.closing) out.push(...closingLines(model.closing, width), "");
  if (model.footnotes.length || notes.length) {
    out.push("-".repeat(Math.min(20, width)));
    // The secretariat's reference notes (lettered), then the reservations (numbered).
    notes.forEach((note, i) => out.push(...wrap(note, width, `${letterMarker(i + 1)} `.padEnd(INDENT), " ".repeat(INDENT))));
    for (const footnote of model.footnotes) out.push(...footnoteLines(footnote, width));
    out.push("");
  }
  out.push(...wrap(`Exported from Accord on ${printedTime(meta.generatedAt)}. Text hash (SHA-256): ${meta.hash}`, width));
  return out.join("\n") + "\n";
}
