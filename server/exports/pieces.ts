import type { DocumentState } from "../../schema/index.js";
import type { ExportBracket, ExportParagraph } from "./types.js";

/** A piece of a paragraph as printed: formatted text, or a bracket opening or closing. */
export type Piece =
  | { type: "text"; text: string; em: boolean; strong: boolean }
  | { type: "open"; bracket: ExportBracket }
  | { type: "close"; bracket: ExportBracket };

/**
 * A paragraph as a flat sequence of pieces: its runs cut wherever a bracket opens or
 * closes, with the brackets in between. Flat, so that a renderer can wrap each text piece
 * in its own formatting and keep brackets properly nested whatever the runs' boundaries.
 * At one offset brackets close before others open (adjacent options `[a][b]`), inner ones
 * close before outer ones and outer ones open before inner ones (as `drawBrackets` does).
 */
export function paragraphPieces(paragraph: Pick<ExportParagraph, "runs" | "brackets">): Piece[] {
  const marks: Array<{ at: number; close: boolean; bracket: ExportBracket }> = [];
  for (const bracket of paragraph.brackets) marks.push({ at: bracket.from, close: false, bracket }, { at: bracket.to, close: true, bracket });
  marks.sort(
    (a, b) =>
      a.at - b.at || Number(b.close) - Number(a.close) || (a.close ? b.bracket.from - a.bracket.from : b.bracket.to - a.bracket.to),
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
    pieces.push({ type: mark.close ? "close" : "open", bracket: mark.bracket });
  }
  textUntil(Infinity);
  return pieces;
}

/** What follows a closing bracket in the compilation style: `B1: USA, CAN`, or the label alone; empty without a label. */
export function bracketNote(bracket: ExportBracket): string {
  if (!bracket.label) return bracket.holders.join(", ");
  return bracket.holders.length ? `${bracket.label}: ${bracket.holders.join(", ")}` : bracket.label;
}

/** An operative label as printed: `1.` for a numbered paragraph, `(a)` and `(i)` as they are. */
export function printedNumber(number: string): string {
  return /^\d+$/.test(number) ? `${number}.` : number;
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
