import { MAX_HEADING_LEVEL, MAX_PARAGRAPH_LEVEL, newId, type Block, type BracketRef, type Run } from "../../schema/index.js";
import type { ImportedBlock, ImportedDocument } from "./types.js";

/**
 * The blocks of the document model an import becomes, with fresh paragraph ids: a lead-in
 * is a chapeau (unnumbered, skipped by PP and OP numbering), a section heading and an
 * unnumbered paragraph keep their numbering rule, bold and italic are the
 * `strong` and `em` marks, and each run carries its brackets with their option groups.
 */
export function importedBlocks(doc: ImportedDocument): Block[] {
  const groups = new Map(doc.brackets.map((b) => [b.id, b.group]));
  return doc.blocks.map((b) => ({ id: newId("p"), ...typeOf(b), ...(b.numbering ? { numbering: b.numbering } : {}), runs: b.runs.map((r) => runOf(r, groups)) }));
}

function typeOf(b: ImportedBlock): Pick<Block, "type" | "kind" | "level"> {
  switch (b.kind) {
    case "title":
      return { type: "title", kind: "title", level: 0 };
    case "lead-in":
      return { type: "chapeau", kind: "chapeau", level: 0 };
    case "heading":
      return { type: "heading", kind: "heading", level: Math.max(1, Math.min(MAX_HEADING_LEVEL, b.level)) };
    default:
      return { type: "paragraph", kind: b.kind, level: Math.max(0, Math.min(MAX_PARAGRAPH_LEVEL, b.level)) };
  }
}

function runOf(r: ImportedDocument["blocks"][number]["runs"][number], groups: ReadonlyMap<string, string | null>): Run {
  const run: Run = { text: r.text };
  if (r.italic) run.em = true;
  if (r.bold) run.strong = true;
  const brackets: BracketRef[] = (r.brackets ?? []).filter((id) => groups.has(id)).map((id) => ({ id, group: groups.get(id) ?? null }));
  if (brackets.length) run.brackets = brackets;
  return run;
}
