import {
  AlignmentType,
  BorderStyle,
  DeletedTextRun,
  Document,
  Footer,
  FootnoteReferenceRun,
  Header,
  InsertedTextRun,
  Packer,
  PageNumber,
  Paragraph,
  TabStopType,
  TextRun,
  type ParagraphChild,
} from "docx";
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
} from "./pieces.js";
import { PAPER_SIZES, type Paper } from "./paper.js";
import { xmlSafe } from "./xml.js";
import type { ExportChangedParagraph, ExportClosing, ExportModel, ExportParagraph } from "./types.js";

// Twips (1/20 pt): 1 cm = 567. Official texts hang operative numbers 1.27 cm (Word's half inch).
const INDENT = 720;
const MARGIN = 1440;
const mmToTwips = (mm: number) => Math.round((mm / 25.4) * 1440);

const text = (t: string, options: { bold?: boolean; italics?: boolean; superScript?: boolean; size?: number } = {}) =>
  new TextRun({ text: xmlSafe(t), ...options });

/** A stretch of a paragraph's text with one formatting, before it becomes a Word run. */
interface Span {
  text: string;
  italics: boolean;
  bold: boolean;
}

/**
 * The runs of a paragraph: its formatted text, brackets as real square brackets with their
 * notes, its footnote references. Neighbouring text of the same formatting is one run (a
 * bracket's `[` and `]` run on with its words): a document with 1,500 brackets then has
 * half the runs, and Word files are built in proportion to their runs.
 */
function paragraphRuns(paragraph: ExportParagraph, model: ExportModel): ParagraphChild[] {
  const runs: ParagraphChild[] = [];
  let span: Span | null = null;
  const flush = () => {
    if (span && span.text) runs.push(text(span.text, { italics: span.italics, bold: span.bold }));
    span = null;
  };
  const add = (t: string, italics: boolean, bold: boolean) => {
    if (span && span.italics === italics && span.bold === bold) span.text += t;
    else {
      flush();
      span = { text: t, italics, bold };
    }
  };
  for (const piece of paragraphPieces(paragraph)) {
    if (piece.type === "note") {
      // The secretariat's reference footnote, a real Word footnote where it stands in the text.
      flush();
      runs.push(new FootnoteReferenceRun({ children: [new Paragraph({ children: [text(piece.note.text)] })] }));
    } else if (piece.type === "open") add("[", false, false);
    else if (piece.type === "close") {
      add("]", false, false);
      // The compilation names every option, who proposed it and who holds it in a footnote
      // of its own, as compilation texts do; the negotiated text names the holders after the
      // bracket as delegations type them, `[…] (USA, CAN)`, which an import reads back.
      if (model.view === "compilation") {
        flush();
        runs.push(new FootnoteReferenceRun({ children: [new Paragraph({ children: [text(compilationNote(piece.bracket))] })] }));
      } else add(holderList(piece.bracket), false, false);
    } else add(piece.text, piece.em, piece.strong);
  }
  flush();
  const status = statusNote(paragraph);
  if (status) runs.push(text(` ${status}`, { italics: true }));
  // The reservations on the paragraph: real Word footnotes after it.
  for (const n of paragraph.footnotes) runs.push(new FootnoteReferenceRun(n));
  return runs;
}

/** A block as Word prints it in an official document: one case per kind of block. */
function blockParagraph(kind: ExportParagraph["kind"], level: number, number: string | null, children: ParagraphChild[]): Paragraph {
  const depth = Math.max(0, Math.min(3, level));
  switch (kind) {
    case "title":
      return new Paragraph({ children, alignment: AlignmentType.CENTER, spacing: { before: 240, after: 360 }, keepNext: true, run: { bold: true, allCaps: true } });
    case "heading":
      return new Paragraph({ children, spacing: { before: 240, after: 120 }, keepNext: true, indent: { left: INDENT * depth }, run: { bold: true } });
    case "chapeau":
      return new Paragraph({ children, alignment: AlignmentType.JUSTIFIED, spacing: { after: 240 }, indent: { firstLine: INDENT }, keepNext: true });
    case "pp":
      return new Paragraph({
        children,
        alignment: AlignmentType.JUSTIFIED,
        spacing: { after: 240 },
        indent: depth === 0 ? { firstLine: INDENT } : { left: INDENT * depth },
      });
    case "op":
      return new Paragraph({
        children: number ? [text(printedNumber(number)), new TextRun({ children: ["\t"] }), ...children] : children,
        alignment: AlignmentType.JUSTIFIED,
        spacing: { after: 240 },
        indent: { left: INDENT * (depth + 1), hanging: INDENT },
        tabStops: [{ type: TabStopType.LEFT, position: INDENT * (depth + 1) }],
      });
    default:
      // A kind this renderer has no case for yet prints as a plain paragraph.
      return new Paragraph({ children, alignment: AlignmentType.JUSTIFIED, spacing: { after: 240 } });
  }
}

/**
 * The first page's masthead: the meeting on the left, series, symbol, date, language and
 * distribution on the right, a rule below. The state of the text and the export's own
 * colophon go in the first page's header and footer instead: the body holds only what the
 * document says, so that a word processor or an import reads the text and nothing else.
 */
function masthead(model: ExportModel): Paragraph[] {
  const { meta } = model;
  const right = (t: string, bold = false) => new Paragraph({ alignment: AlignmentType.RIGHT, children: [text(t, { bold })] });
  return [
    new Paragraph({ children: [text(meta.meetingTitle, { bold: true })], spacing: { after: 120 } }),
    right(meta.seriesSymbol),
    right(meta.symbol, true),
    ...mastheadLines(model).map((line) => right(line)),
    ...(meta.sponsors.length ? [right(`Sponsors: ${meta.sponsors.join(", ")}`)] : []),
    new Paragraph({ children: [], spacing: { after: 360 }, border: { bottom: { style: BorderStyle.SINGLE, size: 6, color: "000000", space: 4 } } }),
  ];
}

/** The closing block of an adopted text: adoption, hash, where to verify it, and every signature. */
function closingParagraphs(closing: ExportClosing, verificationUrl: string): Paragraph[] {
  const out = [
    new Paragraph({ children: [text("Adoption and signatures", { bold: true })], spacing: { before: 480, after: 120 }, keepNext: true, pageBreakBefore: false }),
    new Paragraph({ children: [text(`Adopted as ${closing.adoptedSymbol} on ${printedTime(closing.adoptedAt)}.`)], keepNext: true }),
    new Paragraph({ children: [text("Adopted text hash (SHA-256): "), text(closing.adoptedHash, { size: 18 })], keepNext: true }),
    new Paragraph({ children: [text(`Verification: ${verificationUrl}`, { size: 18 })], keepNext: true, spacing: { after: 120 } }),
  ];
  if (!closing.matchesText) out.push(new Paragraph({ children: [text("This text is not the adopted text: its hash differs from the adopted hash.", { bold: true })] }));
  if (closing.signatures.length === 0) out.push(new Paragraph({ children: [text("No signature yet.")] }));
  for (const s of closing.signatures)
    out.push(new Paragraph({ children: [text(signatureLine(s)), ...(s.footnote ? [new FootnoteReferenceRun(s.footnote)] : [])], indent: { left: INDENT, hanging: INDENT / 2 }, keepLines: true }));
  if (closing.missing.length) out.push(new Paragraph({ children: [text(`Not yet signed: ${closing.missing.join(", ")}.`)], spacing: { before: 120 } }));
  return out;
}

/** A compared paragraph's runs as Word tracked changes: kept text plain, inserted and deleted words as `w:ins` and `w:del`. */
function trackedRuns(paragraph: ExportChangedParagraph, author: string, date: string, nextId: () => number): ParagraphChild[] {
  return paragraph.runs.map((run) =>
    run.op === "insert"
      ? new InsertedTextRun({ id: nextId(), author, date, text: xmlSafe(run.text) })
      : run.op === "delete"
        ? new DeletedTextRun({ id: nextId(), author, date, text: xmlSafe(run.text) })
        : text(run.text),
  );
}

/** Options of a DOCX export. */
export interface DocxOptions {
  paper: Paper;
}

/**
 * Renders a document as a Word file laid out as an official document: the masthead on the
 * first page; from the second page a running header with the symbol and the page number
 * `- 2 -`; the title, chapeaux, preambular paragraphs unnumbered with a first-line indent,
 * operative paragraphs with their real numbers hanging (sub-items indented a step each),
 * headings; brackets as square brackets with their note in superscript, or as a footnote
 * per bracket in the compilation view; reservations as Word footnotes; `[Agreed ad ref]`
 * after a paragraph agreed ad referendum; the adoption, its hash and the signatures at the
 * end of an adopted text. With a comparison, the text is the newer one with every change
 * since the older version as Word tracked changes.
 */
export async function renderDocx(model: ExportModel, options: DocxOptions): Promise<Buffer> {
  const { meta } = model;
  const body: Paragraph[] = [...masthead(model)];
  let titlePending = model.titleFootnotes;
  const titleRefs = () => {
    const refs = titlePending.map((n) => new FootnoteReferenceRun(n));
    titlePending = [];
    return refs;
  };
  if (!model.paragraphs.some((p) => p.kind === "title")) body.push(blockParagraph("title", 0, null, [text(meta.title), ...titleRefs()]));

  if (model.comparison) {
    let id = 0;
    const author = "Accord";
    const date = model.comparison.at;
    body.push(
      new Paragraph({
        children: [text(`Changes since ${model.comparison.fromSymbol} (${model.comparison.fromLabel}), shown as tracked changes.`, { italics: true })],
        spacing: { after: 240 },
      }),
    );
    for (const p of model.comparison.paragraphs) {
      const runs = trackedRuns(p, author, date, () => ++id);
      if (p.fromNumber !== null) runs.push(text(` (was ${printedNumber(p.fromNumber)})`, { italics: true, size: 18 }));
      body.push(blockParagraph(p.kind, p.level, p.change === "deleted" ? null : p.number, p.change === "deleted" && p.number ? [new DeletedTextRun({ id: ++id, author, date, text: `${printedNumber(p.number)} ` }), ...runs] : runs));
    }
  } else {
    for (const paragraph of model.paragraphs) {
      const runs = paragraphRuns(paragraph, model);
      if (paragraph.kind === "title") runs.push(...titleRefs());
      body.push(blockParagraph(paragraph.kind, paragraph.level, paragraph.number, runs));
      // Facilitator's notes follow the paragraph, in braces and italics.
      for (const note of facilitatorNotes(paragraph)) body.push(new Paragraph({ children: [text(note, { italics: true })], spacing: { after: 120 } }));
    }
  }
  if (model.closing) body.push(...closingParagraphs(model.closing, meta.verificationUrl));

  const footnotes: Record<number, { children: Paragraph[] }> = {};
  for (const f of model.footnotes) footnotes[f.number] = { children: [new Paragraph({ children: [text(reservationNote(f))] })] };

  const size = PAPER_SIZES[options.paper];
  const doc = new Document({
    creator: "Accord",
    title: `${meta.symbol}: ${meta.title}`,
    description: `SHA-256 ${meta.hash}`,
    styles: { default: { document: { run: { font: "Times New Roman", size: 24 } } } },
    footnotes,
    sections: [
      {
        properties: {
          titlePage: true,
          page: {
            size: { width: mmToTwips(size.widthMm), height: mmToTwips(size.heightMm) },
            margin: { top: MARGIN, bottom: MARGIN, left: MARGIN, right: MARGIN, header: 720, footer: 720 },
          },
        },
        headers: {
          // From the second page: the page number centred as `- 2 -` and the symbol to the right.
          default: new Header({
            children: [
              new Paragraph({ alignment: AlignmentType.CENTER, children: [new TextRun({ children: ["- ", PageNumber.CURRENT, " -"] })] }),
              new Paragraph({ alignment: AlignmentType.RIGHT, children: [text(meta.symbol, { size: 20 })] }),
            ],
          }),
          first: new Header({ children: [new Paragraph({ alignment: AlignmentType.RIGHT, children: [text(stateLine(model), { italics: true, size: 20 })] })] }),
        },
        footers: {
          default: new Footer({ children: [new Paragraph({ children: [] })] }),
          first: new Footer({
            children: [new Paragraph({ children: [text(`Exported from Accord on ${printedTime(meta.generatedAt)}. Text hash (SHA-256): ${meta.hash}`, { size: 14 })] })],
          }),
        },
        children: body,
      },
    ],
  });
  return Packer.toBuffer(doc);
}
