import { MAX_BLOCK_TEXT } from "../../schema/rules.js";
import { numberBlocks, type FrozenLabel, type FrozenLabels, type NumberedBlock } from "../../schema/numbering.js";
import { HttpError } from "../http/errors.js";
import { readDocx } from "./docx-reader.js";
import { decodeText } from "./encoding.js";
import { flatten, type FlatParagraph, type SourceDocument } from "./source.js";
import { recogniseStructure, shorten, type PlacedWarning } from "./structure.js";
import { readText } from "./text-reader.js";
import { attachSideLines, convertBrackets } from "./typed-brackets.js";
import type { ImportedBlock, ImportedDocument, ImportOptions } from "./types.js";
import type { ImportWarning } from "../../schema/api/imports.js";

/** The content type of a DOCX. */
export const DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";

/** What kind of file a request body is, from its Content-Type (and its first bytes when that says nothing useful). */
export function fileKind(contentType: string | undefined, bytes: Uint8Array): { kind: "docx" | "text"; charset: string | null } {
  const [type = "", ...params] = (contentType ?? "").split(";").map((s) => s.trim());
  const charset = params.find((p) => /^charset=/i.test(p))?.slice(8).replace(/^"|"$/g, "") ?? null;
  const lower = type.toLowerCase();
  if (lower === DOCX_TYPE || lower === "application/vnd.ms-word.document.macroenabled.12") return { kind: "docx", charset: null };
  if (lower === "text/plain") return { kind: "text", charset };
  if (lower === "application/octet-stream" || lower === "") return { kind: bytes[0] === 0x50 && bytes[1] === 0x4b ? "docx" : "text", charset: null };
  throw new HttpError(415, `a ${type} file cannot be imported; send a .docx (${DOCX_TYPE}) or text/plain`);
}

/** Reads a DOCX or a plain text into the neutral structure, with every warning. Throws 4xx for a file it cannot read. */
export async function parseImport(bytes: Uint8Array, contentType: string | undefined, options: ImportOptions = {}): Promise<ImportedDocument> {
  if (bytes.length === 0) throw new HttpError(400, "the file is empty");
  const { kind, charset } = fileKind(contentType, bytes);
  const source = kind === "docx" ? await readDocx(bytes) : readText(decodeText(bytes, charset).text);
  return structureOf(source, options);
}

/** Recognises the structure of a read file: the other half of parseImport, for a text already decoded. */
function structureOf(source: SourceDocument, options: ImportOptions = {}): ImportedDocument {
  const flats = attachSideLines(keepNotesOfEmptyParagraphs(source.paragraphs.map(flatten)));
  const structure = recogniseStructure(flats);
  const placed = structure.paragraphs;
  const withTitle = structure.title !== null;
  const bodyFlats: FlatParagraph[] = [...(structure.title ? [structure.title] : []), ...placed.map((p) => p.flat)];
  const shift = withTitle ? 1 : 0;
  const warnings: PlacedWarning[] = structure.warnings.map((w) => ({ block: w.block === null ? null : w.block + shift, warning: w.warning }));
  const converted = convertBrackets(bodyFlats, source.typedNotes, options.holders, warnings);

  const blocks: ImportedBlock[] = converted.blocks.map((c, i) => {
    const p = placed[i - shift];
    return {
      kind: p ? p.kind : "title",
      level: p ? p.level : 0,
      typedNumber: p?.typedNumber ?? null,
      section: p?.section ?? null,
      label: p?.label ?? null,
      ...(p?.numbering ? { numbering: p.numbering } : {}),
      runs: c.runs,
      footnotes: c.footnotes,
      annotations: c.annotations,
      source: bodyFlats[i]!.source,
    };
  });
  if (!withTitle) {
    const text = options.title ?? structure.masthead.symbol ?? "Imported document";
    blocks.unshift({ kind: "title", level: 0, typedNumber: null, section: null, label: null, runs: [{ text }], footnotes: [], annotations: [], source: "none" });
    for (const w of warnings) if (w.block !== null) w.block += 1;
    for (const b of converted.brackets) {
      b.block += 1;
      b.blocks = b.blocks.map((i) => i + 1);
    }
    warnings.push({ block: 0, warning: `the document is titled "${text}"; change the title in the editor` });
  }
  blocks.forEach((b, i) => {
    const length = b.runs.reduce((n, r) => n + r.text.length, 0);
    if (length > MAX_BLOCK_TEXT)
      throw new HttpError(422, `${b.source} of the file has ${length} characters; a paragraph holds at most ${MAX_BLOCK_TEXT}`, [citeAll(blocks)[i]!]);
  });

  const cites = citeAll(blocks);
  const out: ImportWarning[] = [
    ...source.warnings.map((warning) => ({ paragraph: null, warning })),
    ...warnings
      .sort((a, b) => (a.block ?? -1) - (b.block ?? -1))
      .map((w) => ({ paragraph: w.block === null ? null : cites[w.block]!, warning: w.block === null ? w.warning : `${w.warning} (${blocks[w.block]!.source} of the file)` })),
  ];
  const title = blocks[0]!.runs.map((r) => r.text).join("");
  return { title, masthead: structure.masthead, blocks, brackets: converted.brackets, warnings: out };
}

/** The blocks as the numbering reads them, with `ids` (the document's, or their indexes before it exists). */
function numbered(blocks: readonly ImportedBlock[], ids: readonly string[]): NumberedBlock[] {
  return blocks.map((b, i) => ({ id: ids[i]!, kind: b.kind === "lead-in" ? "chapeau" : b.kind, level: b.level, ...(b.numbering ? { numbering: b.numbering } : {}) }));
}

/**
 * The labels the file's typed numbers give ("2 bis", a gap after a deleted paragraph), by
 * the blocks' `ids`, when they differ from the numbers the order gives: the document
 * keeps them as its frozen numbers, so that its citations are the original's. Null when
 * the order gives the same numbers (or nothing was typed).
 */
export function typedLabels(blocks: readonly ImportedBlock[], ids: readonly string[]): FrozenLabels | null {
  const labels = new Map<string, FrozenLabel>();
  blocks.forEach((b, i) => {
    if (b.label !== null && (b.kind === "pp" || b.kind === "op")) labels.set(ids[i]!, { kind: b.kind, level: Math.max(0, Math.min(2, b.level)), label: b.label });
  });
  if (labels.size === 0) return null;
  const asTyped = numberBlocks(numbered(blocks, ids), labels);
  const inOrder = numberBlocks(numbered(blocks, ids));
  return asTyped.every((n, i) => n.ref === inOrder[i]!.ref && n.number === inOrder[i]!.number) ? null : labels;
}

/** How people cite each block: "OP3", "OP2 bis", "PP2", "title", `lead-in "RESOLVES:"`, `heading "Annex"`. */
export function citeAll(blocks: readonly ImportedBlock[]): string[] {
  const ids = blocks.map((_, i) => String(i));
  const numbers = numberBlocks(numbered(blocks, ids), typedLabels(blocks, ids) ?? undefined);
  return blocks.map((b, i) => {
    const ref = numbers[i]!.ref;
    if (ref) return ref;
    const text = shorten(b.runs.map((r) => r.text).join(""), 40);
    return b.kind === "title" ? "title" : `${b.kind} "${text}"`;
  });
}

// A footnote reference alone in a paragraph belongs to the paragraph before it.
function keepNotesOfEmptyParagraphs(flats: FlatParagraph[]): FlatParagraph[] {
  const out: FlatParagraph[] = [];
  for (const f of flats) {
    const previous = out[out.length - 1];
    if (f.text === "" && f.notes.length > 0 && previous)
      previous.notes.push(...f.notes.map((n) => ({ ...n, offset: previous.text.length })));
    else out.push(f);
  }
  return out;
}
