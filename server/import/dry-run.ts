import { canonicalize } from "../../schema/index.js";
import { citeAll, typedLabels } from "./parse.js";
import { importedBlocks } from "./to-blocks.js";
import type { ImportedDocument } from "./types.js";
import type { ImportDryRun } from "../../schema/api/imports.js";

/** What a dry run shows: the canonical form that would be created and everything found around it. */
export function dryRunAnswer(imported: ImportedDocument, symbol: string | null): ImportDryRun {
  const blocks = importedBlocks(imported);
  const canonical = canonicalize(
    blocks,
    typedLabels(
      imported.blocks,
      blocks.map((b) => b.id),
    ) ?? undefined,
  );
  const cites = citeAll(imported.blocks);
  // Every index below is of one of `imported.blocks`, and `cites` has one citation per block.
  const cite = (i: number): string => cites[i]!;
  const count = (kind: string) => imported.blocks.filter((b) => b.kind === kind).length;
  return {
    canonical,
    warnings: imported.warnings,
    title: imported.title,
    symbol,
    masthead: imported.masthead,
    typedNumbers: imported.blocks.flatMap((b, i) => (b.typedNumber ? [{ paragraph: cite(i), typed: b.typedNumber }] : [])),
    brackets: imported.brackets.map((b) => ({
      paragraph: cite(b.block),
      paragraphs: b.blocks.map(cite),
      scope: b.scope,
      text: b.text,
      holders: b.holders,
      group: b.group,
      separator: b.separator,
      optionLabel: b.optionLabel,
      noText: b.noText,
    })),
    footnotes: imported.blocks.flatMap((b, i) => b.footnotes.map((f) => ({ paragraph: cite(i), marker: f.marker, text: f.text }))),
    annotations: imported.blocks.flatMap((b, i) => b.annotations.map((a) => ({ paragraph: cite(i), kind: a.kind, annotation: a.text }))),
    counts: {
      blocks: blocks.length,
      leadIns: count("lead-in"),
      headings: count("heading"),
      preambular: count("pp"),
      operative: count("op"),
      brackets: imported.brackets.length,
      warnings: imported.warnings.length,
    },
  };
}
