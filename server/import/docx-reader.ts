import mammoth from "mammoth";
import { HttpError } from "../http/errors.js";
import type { SourceDocument, SourceParagraph, SourceRun } from "./source.js";
import { openDocxZip } from "./zip.js";

// mammoth's document tree (documents.js), as much of it as the import reads.
interface MElement {
  type: string;
  children?: MElement[];
  value?: string;
  isBold?: boolean;
  isItalic?: boolean;
  styleName?: string | null;
  numbering?: { level: string | number; isOrdered: boolean } | null;
  noteType?: string;
  noteId?: string;
  body?: MElement[];
}
interface MDocument {
  children: MElement[];
  notes: { resolve(ref: MElement): MElement | null };
  comments: unknown[];
}

const count = (xml: string, tag: string): number => xml.split(`<${tag} `).length - 1 + (xml.split(`<${tag}>`).length - 1);

/**
 * Reads a DOCX into paragraphs through mammoth's document tree (which accepts tracked
 * insertions and leaves out tracked deletions, as Word's "accept all" would), with the
 * footnotes at their references and Word's list numbering. What mammoth keeps out of
 * sight (tracked changes, comments, macros) is found in the package itself and warned of.
 */
export async function readDocx(bytes: Uint8Array): Promise<SourceDocument> {
  const zip = await openDocxZip(bytes);
  const warnings: string[] = [];
  const xml = await zip.file("word/document.xml")!.async("string");
  const insertions = count(xml, "w:ins");
  const deletions = count(xml, "w:del");
  const moves = count(xml, "w:moveFrom") + count(xml, "w:moveTo");
  if (insertions + deletions + moves > 0)
    warnings.push(
      `the file had tracked changes (${insertions} insertions, ${deletions} deletions${moves ? `, ${moves} moves` : ""}); they were imported as accepted`,
    );
  if (zip.file(/vbaProject\.bin$/i).length > 0) warnings.push("the file contains macros; they were neither run nor imported");

  let tree: MDocument | null = null;
  try {
    await mammoth.convertToHtml({ buffer: Buffer.from(bytes) }, {
      // Keep mammoth's tree and skip its HTML: the structure is recognised here.
      transformDocument: (doc: MDocument) => {
        tree = doc;
        return { ...doc, children: [] };
      },
    } as Parameters<typeof mammoth.convertToHtml>[1]);
  } catch (error) {
    throw new HttpError(415, `the DOCX cannot be read: ${error instanceof Error ? error.message.split("\n")[0] : "unknown damage"}`);
  }
  const doc = tree as MDocument | null;
  if (!doc) throw new HttpError(415, "the DOCX cannot be read: it has no document body");
  if (doc.comments.length > 0) warnings.push(`the file had ${doc.comments.length} comment(s); comments are not part of the text and were not imported`);

  const paragraphs: SourceParagraph[] = [];
  let notes = 0;
  let images = 0;
  const readRuns = (children: readonly MElement[], out: SourceRun[], bold = false, italic = false) => {
    for (const el of children) {
      switch (el.type) {
        case "run":
          readRuns(el.children ?? [], out, !!el.isBold, !!el.isItalic);
          break;
        case "text":
          out.push({ text: el.value ?? "", bold, italic });
          break;
        case "tab":
        case "break":
          out.push({ text: " ", bold, italic });
          break;
        case "noteReference": {
          const note = doc.notes.resolve(el);
          notes += 1;
          out.push({ text: "", note: { marker: String(notes), text: note ? plainText(note.body ?? []) : "" } });
          break;
        }
        case "image":
          images += 1;
          break;
        default:
          if (el.children) readRuns(el.children, out, bold, italic);
      }
    }
  };
  const readBlocks = (children: readonly MElement[], inTable: boolean) => {
    for (const el of children) {
      if (el.type === "paragraph") {
        const runs: SourceRun[] = [];
        const before = images;
        readRuns(el.children ?? [], runs);
        const source = `paragraph ${paragraphs.length + 1}${inTable ? " (in a table)" : ""}`;
        if (images > before) warnings.push(`${source} held ${images - before} image(s); images are not part of the text and were left out`);
        const n = el.numbering;
        paragraphs.push({ runs, list: n ? { level: Number(n.level) || 0, ordered: n.isOrdered } : null, style: el.styleName ?? null, source });
      } else if (el.type === "table") {
        const rows = (el.children ?? []).filter((r) => r.type === "tableRow");
        warnings.push(`a table of ${rows.length} row(s) at paragraph ${paragraphs.length + 1} was imported as one paragraph per cell paragraph`);
        for (const row of rows) for (const cell of row.children ?? []) readBlocks(cell.children ?? [], true);
      } else if (el.children) readBlocks(el.children, inTable);
    }
  };
  readBlocks(doc.children, false);
  return { paragraphs, typedNotes: new Map(), warnings };
}

function plainText(elements: readonly MElement[]): string {
  const parts: string[] = [];
  const walk = (els: readonly MElement[]) => {
    for (const el of els) {
      if (el.type === "text") parts.push(el.value ?? "");
      else if (el.type === "tab" || el.type === "break") parts.push(" ");
      else if (el.type === "paragraph" && parts.length > 0) {
        parts.push(" ");
        walk(el.children ?? []);
      } else if (el.children) walk(el.children);
    }
  };
  walk(elements);
  return parts.join("").replace(/\s+/g, " ").trim();
}
