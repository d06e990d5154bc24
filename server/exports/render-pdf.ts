import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import pdfmake from "pdfmake";
import type { Content, TDocumentDefinitions } from "pdfmake/interfaces.js";
import {
  compilationNote,
  holderList,
  mastheadLines,
  paragraphPieces,
  printedNumber,
  printedTime,
  reservationNote,
  signatureLine,
  stateLine,
  statusNote,
  facilitatorNotes,
  noteLetter,
} from "./pieces.js";
import { PAPER_SIZES, type Paper } from "./paper.js";
import type { ExportBracket, ExportClosing, ExportModel, ExportParagraph } from "./types.js";

// Roboto as pdfmake ships it: Latin with every accent English, Spanish, French and
// Portuguese use, embedded (subset) in each PDF, so the text is searchable and looks the
// same everywhere. Read from the package on disk: nothing is fetched at run time.
const FONT_DIR = join(dirname(createRequire(import.meta.url).resolve("pdfmake/package.json")), "fonts", "Roboto");
pdfmake.addFonts({
  Roboto: {
    normal: join(FONT_DIR, "Roboto-Regular.ttf"),
    bold: join(FONT_DIR, "Roboto-Medium.ttf"),
    italics: join(FONT_DIR, "Roboto-Italic.ttf"),
    bolditalics: join(FONT_DIR, "Roboto-MediumItalic.ttf"),
  },
});
// A document's text never names a resource; the only files pdfmake may read are the fonts.
pdfmake.setUrlAccessPolicy(() => false);
pdfmake.setLocalAccessPolicy((path) => path.startsWith(FONT_DIR));

// Points (1/72 in).
const INDENT = 36;
const MARGIN = 72;
const MM = 72 / 25.4;

type Inline = Exclude<Content, string> & { text: unknown };
const run = (text: string, style: Partial<{ bold: boolean; italics: boolean; sup: boolean; fontSize: number }> = {}): Inline => ({ text, ...style });
const pageText = (text: string) => text.replace(/\t/g, " ");

/** The inline content of a paragraph: its formatted text, brackets drawn with their notes, footnote markers. */
function paragraphInlines(paragraph: ExportParagraph, model: ExportModel, bracketNotes: ExportBracket[], referenceNotes: string[]): Inline[] {
  const out: Inline[] = [];
  for (const piece of paragraphPieces(paragraph)) {
    if (piece.type === "note") {
      // Reference notes are lettered (a, b, …) so that they never read as the reservations'
      // numbers; the marker stands where the note was placed, the note among them at the end.
      referenceNotes.push(piece.note.text);
      out.push(run(noteLetter(referenceNotes.length), { sup: true, fontSize: 8 }));
    } else if (piece.type === "open") out.push(run("[", { bold: true }));
    else if (piece.type === "close") {
      out.push(run("]", { bold: true }));
      // Notes stand on the line, not raised: a text extractor (and a screen reader) then
      // reads them right after their bracket. The negotiated text names the holders as
      // delegations type them, `[…] (USA, CAN)`; a compilation's notes are long: the label
      // here, the whole note among the bracket notes at the end.
      if (model.view === "compilation") {
        bracketNotes.push(piece.bracket);
        if (piece.bracket.label) out.push(run(`{${piece.bracket.label}}`, { fontSize: 8 }));
      } else {
        const holders = holderList(piece.bracket);
        if (holders) out.push(run(holders));
      }
    } else out.push(run(pageText(piece.text), { italics: piece.em, bold: piece.strong }));
  }
  const status = statusNote(paragraph);
  if (status) out.push(run(` ${status}`, { italics: true }));
  for (const n of paragraph.footnotes) out.push(run(String(n), { sup: true, fontSize: 8 }));
  return out;
}


/** A block as printed: one case per kind of block. */
function blockContent(paragraph: ExportParagraph, inlines: Inline[]): Content {
  const depth = Math.max(0, Math.min(3, paragraph.level));
  switch (paragraph.kind) {
    case "title":
      return { text: inlines, alignment: "center", bold: true, margin: [0, 6, 0, 18] };
    case "heading":
      return { text: inlines, bold: true, margin: [INDENT * depth, 12, 0, 6] };
    case "chapeau":
      return { text: inlines, leadingIndent: INDENT, alignment: "justify", margin: [0, 0, 0, 12] };
    case "pp":
      return depth === 0
        ? { text: inlines, leadingIndent: INDENT, alignment: "justify", margin: [0, 0, 0, 12] }
        : { text: inlines, alignment: "justify", margin: [INDENT * depth, 0, 0, 12] };
    case "op":
      // The number opens the first line, indented, and the text runs on, as the United
      // Nations prints operative paragraphs: one flow of text, so that an extractor reads
      // the number and its paragraph together (columns would be read as two blocks).
      return {
        text: paragraph.number ? [run(`${printedNumber(paragraph.number)}\u00a0\u00a0`), ...inlines] : inlines,
        leadingIndent: INDENT,
        alignment: "justify",
        margin: [INDENT * depth, 0, 0, 12],
      };
    default:
      // A kind this renderer has no case for yet prints as a plain paragraph.
      return { text: inlines, alignment: "justify", margin: [0, 0, 0, 12] };
  }
}

function closingContent(closing: ExportClosing, verificationUrl: string): Content[] {
  const lines: Content[] = [
    { text: "Adoption and signatures", bold: true, margin: [0, 24, 0, 6] },
    { text: `Adopted as ${closing.adoptedSymbol} on ${printedTime(closing.adoptedAt)}.` },
    { text: [run("Adopted text hash (SHA-256): "), run(closing.adoptedHash, { fontSize: 8 })] },
    { text: [run("Verification: "), run(verificationUrl, { fontSize: 8 })], margin: [0, 0, 0, 6] },
  ];
  if (!closing.matchesText) lines.push({ text: "This text is not the adopted text: its hash differs from the adopted hash.", bold: true });
  if (closing.signatures.length === 0) lines.push({ text: "No signature yet." });
  for (const s of closing.signatures) lines.push({ text: [run(signatureLine(s)), ...(s.footnote ? [run(String(s.footnote), { sup: true, fontSize: 8 })] : [])], margin: [INDENT / 2, 0, 0, 2] });
  if (closing.missing.length) lines.push({ text: `Not yet signed: ${closing.missing.join(", ")}.`, margin: [0, 6, 0, 0] });
  return [{ stack: lines, unbreakable: closing.signatures.length < 40 }];
}

/** Options of a PDF export. */
export interface PdfOptions {
  paper: Paper;
}

/**
 * Renders a document as a PDF of the same layout as the Word export, on A4 or US Letter:
 * masthead, title, blocks, brackets with their notes (the compilation's at the end),
 * reservations as numbered notes at the end, the adoption with its SHA-256 and the
 * verification URL; from the second page a running header with the symbol and the page
 * number `- 2 -`. The text is real text in an embedded font, so it can be searched and
 * extracted.
 */
export async function renderPdf(model: ExportModel, options: PdfOptions): Promise<Buffer> {
  const { meta } = model;
  const bracketNotes: ExportBracket[] = [];
  const referenceNotes: string[] = [];
  const content: Content[] = [
    { text: meta.meetingTitle, bold: true, margin: [0, 0, 0, 6] },
    { text: meta.seriesSymbol, alignment: "right" },
    { text: meta.symbol, alignment: "right", bold: true },
    ...mastheadLines(model).map((line): Content => ({ text: line, alignment: "right" })),
    ...(meta.sponsors.length ? [{ text: `Sponsors: ${meta.sponsors.join(", ")}`, alignment: "right" } as Content] : []),
    { text: stateLine(model), alignment: "right", italics: true, margin: [0, 6, 0, 4] },
    { canvas: [{ type: "line", x1: 0, y1: 0, x2: (PAPER_SIZES[options.paper].widthMm * MM) - 2 * MARGIN, y2: 0, lineWidth: 0.75 }], margin: [0, 0, 0, 18] },
  ];
  let titlePending = model.titleFootnotes;
  const titleMarks = () => {
    const marks = titlePending.map((n) => run(String(n), { sup: true, fontSize: 8 }));
    titlePending = [];
    return marks;
  };
  if (!model.paragraphs.some((p) => p.kind === "title")) content.push({ text: [run(meta.title), ...titleMarks()], alignment: "center", bold: true, margin: [0, 6, 0, 18] });
  for (const paragraph of model.paragraphs) {
    const inlines = paragraphInlines(paragraph, model, bracketNotes, referenceNotes);
    if (paragraph.kind === "title") inlines.push(...titleMarks());
    content.push(blockContent(paragraph, inlines));
    // Facilitator's notes follow the paragraph, in braces and italics.
    for (const note of facilitatorNotes(paragraph)) content.push({ text: note, italics: true, margin: [0, 0, 0, 6] });
  }
  if (model.closing) content.push(...closingContent(model.closing, meta.verificationUrl));
  if (bracketNotes.length) {
    content.push({ text: "Brackets", bold: true, margin: [0, 18, 0, 6] });
    for (const b of bracketNotes) content.push({ text: compilationNote(b), fontSize: 9, margin: [0, 0, 0, 2] });
  }
  if (referenceNotes.length) {
    content.push({ text: "Notes", bold: true, margin: [0, 18, 0, 6] });
    referenceNotes.forEach((note, i) => content.push({ text: [run(noteLetter(i + 1), { sup: true }), run(` ${note}`)], fontSize: 9, margin: [0, 0, 0, 3] }));
  }
  if (model.footnotes.length) {
    content.push({ canvas: [{ type: "line", x1: 0, y1: 0, x2: 120, y2: 0, lineWidth: 0.5 }], margin: [0, 18, 0, 6] });
    for (const f of model.footnotes) content.push({ text: [run(String(f.number), { sup: true }), run(` ${reservationNote(f)}`)], fontSize: 9, margin: [0, 0, 0, 3] });
  }
  content.push({ text: `Exported from Accord on ${printedTime(meta.generatedAt)}. Text hash (SHA-256): ${meta.hash}`, fontSize: 7, margin: [0, 24, 0, 0] });

  const size = PAPER_SIZES[options.paper];
  const definition: TDocumentDefinitions = {
    pageSize: { width: size.widthMm * MM, height: size.heightMm * MM },
    pageMargins: [MARGIN, MARGIN, MARGIN, MARGIN],
    info: { title: `${meta.symbol}: ${meta.title}`, creator: "Accord", subject: `SHA-256 ${meta.hash}` },
    defaultStyle: { font: "Roboto", fontSize: 11, lineHeight: 1.15 },
    header: (currentPage) =>
      currentPage === 1
        ? null
        : {
            margin: [MARGIN, 30, MARGIN, 0],
            columns: [
              { width: "*", text: "" },
              { width: "auto", text: `- ${currentPage} -` },
              { width: "*", text: meta.symbol, alignment: "right", fontSize: 9 },
            ],
          },
    content,
  };
  return pdfmake.createPdf(definition).getBuffer();
}
