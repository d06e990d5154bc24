import {
  AlignmentType,
  CommentRangeEnd,
  CommentRangeStart,
  CommentReference,
  DeletedTextRun,
  Document,
  FootnoteReferenceRun,
  HeadingLevel,
  ImageRun,
  InsertedTextRun,
  LevelFormat,
  Packer,
  Paragraph,
  type ParagraphChild,
  Table,
  TableCell,
  TableRow,
  TextRun,
} from "docx";
import JSZip from "jszip";

/** A paragraph of a test DOCX: plain text, or pieces with formatting, footnotes, Word numbering, a heading style. */
export interface DocxParagraph {
  text?: string;
  runs?: Array<{ text: string; bold?: boolean; italics?: boolean } | { footnote: number } | { inserted: string } | { deleted: string } | { comment: string }>;
  /** Word's own list numbering (decimal "1." at level 0, "(a)" at level 1). */
  list?: number;
  heading?: 1 | 2;
  image?: boolean;
  table?: string[][];
}

// A 1×1 transparent PNG.
const PNG = Buffer.from("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=", "base64");

/**
 * Builds a real DOCX with the `docx` package, as Word would save it: footnotes, Word
 * numbered lists, headings, bold and italic, and on request tracked changes, comments,
 * images, tables and (added to the package afterwards) a macro project.
 */
export async function buildDocx(paragraphs: readonly DocxParagraph[], options: { footnotes?: Record<number, string>; macros?: boolean } = {}): Promise<Buffer> {
  const comments: Array<{ id: number; author: string; children: Paragraph[] }> = [];
  const children = paragraphs.map((p) => {
    if (p.table)
      return new Table({ rows: p.table.map((row) => new TableRow({ children: row.map((cell) => new TableCell({ children: [new Paragraph(cell)] })) })) });
    const runs = (p.runs ?? [{ text: p.text ?? "" }]).flatMap((r): ParagraphChild[] => {
      if ("footnote" in r) return [new FootnoteReferenceRun(r.footnote)];
      if ("inserted" in r) return [new InsertedTextRun({ text: r.inserted, id: 1, author: "Secretariat", date: "2026-01-01T00:00:00Z" })];
      if ("deleted" in r) return [new DeletedTextRun({ text: r.deleted, id: 2, author: "Secretariat", date: "2026-01-01T00:00:00Z" })];
      if ("comment" in r) {
        const id = comments.length;
        comments.push({ id, author: "Secretariat", children: [new Paragraph(r.comment)] });
        return [new CommentRangeStart(id), new CommentRangeEnd(id), new TextRun({ children: [new CommentReference(id)] })];
      }
      return [new TextRun({ text: r.text, bold: r.bold, italics: r.italics })];
    });
    if (p.image) runs.push(new ImageRun({ type: "png", data: PNG, transformation: { width: 10, height: 10 } }));
    return new Paragraph({
      children: runs,
      ...(p.list !== undefined ? { numbering: { reference: "ops", level: p.list } } : {}),
      ...(p.heading ? { heading: p.heading === 1 ? HeadingLevel.HEADING_1 : HeadingLevel.HEADING_2 } : {}),
    });
  });
  const doc = new Document({
    numbering: {
      config: [
        {
          reference: "ops",
          levels: [
            { level: 0, format: LevelFormat.DECIMAL, text: "%1.", alignment: AlignmentType.START },
            { level: 1, format: LevelFormat.LOWER_LETTER, text: "(%2)", alignment: AlignmentType.START },
            { level: 2, format: LevelFormat.LOWER_ROMAN, text: "(%3)", alignment: AlignmentType.START },
          ],
        },
      ],
    },
    footnotes: Object.fromEntries(Object.entries(options.footnotes ?? {}).map(([k, text]) => [k, { children: [new Paragraph(text)] }])),
    ...(comments.length ? { comments: { children: comments } } : {}),
    sections: [{ children }],
  });
  const buffer = await Packer.toBuffer(doc);
  if (!options.macros) return buffer;
  const zip = await JSZip.loadAsync(buffer);
  zip.file("word/vbaProject.bin", Buffer.from("not really a macro project"));
  return zip.generateAsync({ type: "nodebuffer" });
}
