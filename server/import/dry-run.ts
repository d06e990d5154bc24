import { canonicalize } from "../../schema/index.js";
import { citeAll, typedLabels } from "./parse.js";
import { importedBlocks } from "./to-blocks.js";
import type { ImportedDocument } from "./types.js";

/** What a dry run shows: the canonical form that would be created and everything found around it. */
export function dryRunAnswer(imported: ImportedDocument, symbol: string | null) {
  const blocks = importedBlocks(imported);
  const canonical = canonicalize(
    blocks,
    typedLabels(
      imported.blocks,
      blocks.map((b) => b.id),
    ) ?? undefined,
  );
  const cites = citeAll(imported.blocks);
  const count = (kind: string) => imported.blocks.filter((b) => b.kind === kind).length;
  return {
    canonical,
    warnings: imported.warnings,
    title: imported.title,
    symbol,
    masthead: imported.masthead,
    typedNumbers: imported.blocks.map((b, i) => (b.typedNumber ? { paragraph: cites[i], typed: b.typedNumber } : null)).filter(Boolean),
    brackets: imported.brackets.map((b) => ({
      paragraph: cites[b.block],
      paragraphs: b.blocks.map((i) => cites[i]),
      scope: b.scope,
      text: b.text,
      holders: b.holders,
      group: b.group,
      separator: b.separator,
      optionLabel: b.optionLabel,
      noText: b.noText,
    })),
    footnotes: imported.blocks.flatMap((b, i) => b.footnotes.map((f) => ({ paragraph: cites[i], marker: f.marker, text: f.text }))),
    annotations: imported.blocks.flatMap((b, i) => b.annotations.map((a) => ({ paragraph: cites[i], kind: a.kind, annotation: a.text }))),
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
