import type { SourceDocument, SourceParagraph } from "./source.js";

// A rule of underscores or dashes: what separates a plain text's footnotes from its body.
const RULE = /^\s*[_\-—–=]{5,}\s*$/;
// A footnote line below the rule: "1 See …", "1. See …", "¹ See …", "* See …".
const NOTE_LINE = /^\s*(\d{1,3}|[¹²³⁴⁵⁶⁷⁸⁹⁰]+|\*{1,3})[.)]?\s+(\S.*)$/;
// A line that starts a paragraph of its own even without a blank line before it.
const STARTS_PARAGRAPH = /^\s*(?:\d{1,3}(?:\s?(?:bis|ter|quater))?[.)]\s|\(?[a-z]{1,4}\)\s|(?:PP|OP)\s?\d|[IVX]{1,5}\.\s|Article\s+\d|Annex\b|ANNEX\b)/;

// The shortest line that a hard-wrapped paragraph continues after.
const WRAPPED = 50;

/** Superscript digits to ASCII ("¹²" → "12"). */
export function fromSuperscript(marker: string): string {
  return marker.replace(/[¹²³⁴⁵⁶⁷⁸⁹⁰]/g, (c) => String("⁰¹²³⁴⁵⁶⁷⁸⁹".indexOf(c)));
}

/**
 * Reads decoded plain text into paragraphs. A text whose paragraphs are separated by
 * blank lines (and may be wrapped inside) is read by blank lines; a text with no such
 * separation is read one line a paragraph. A rule ("_____") followed by numbered lines at
 * the end is the footnotes section.
 */
export function readText(text: string): SourceDocument {
  const lines = text.replace(/^\ufeff/, "").split(/\r\n|\r|\n/);
  const typedNotes = new Map<string, string>();
  let end = lines.length;
  for (let i = lines.length - 1; i >= 0; i--) {
    if (!RULE.test(lines[i]!)) continue;
    const below = lines.slice(i + 1).filter((l) => l.trim() !== "");
    if (below.length > 0 && NOTE_LINE.test(below[0]!)) {
      let last: string | null = null;
      for (const line of below) {
        const m = NOTE_LINE.exec(line);
        if (m) {
          last = fromSuperscript(m[1]!);
          typedNotes.set(last, m[2]!.trim());
        } else if (last) typedNotes.set(last, `${typedNotes.get(last)} ${line.trim()}`);
      }
      end = i;
    }
    break;
  }
  const body = lines.slice(0, end);
  const nonEmpty = body.filter((l) => l.trim() !== "").length;
  const blank = body.length - nonEmpty;
  const byBlankLines = blank > 0 && blank >= nonEmpty / 4;
  const paragraphs: SourceParagraph[] = [];
  let current: { text: string; line: number; last: string } | null = null;
  const close = () => {
    if (current) paragraphs.push({ runs: [{ text: current.text }], list: null, style: null, source: `line ${current.line}` });
    current = null;
  };
  body.forEach((line, i) => {
    if (line.trim() === "" || RULE.test(line)) return close();
    // A wrapped line follows a full one; after a short line (a masthead field, a title) a new paragraph starts.
    if (!byBlankLines || !current || current.last.length < WRAPPED || STARTS_PARAGRAPH.test(line)) {
      close();
      current = { text: line.trim(), line: i + 1, last: line.trim() };
    } else {
      current.text += ` ${line.trim()}`;
      current.last = line.trim();
    }
  });
  close();
  return { paragraphs, typedNotes, warnings: [] };
}
