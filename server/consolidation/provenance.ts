import { textHash } from "../../schema/canonical.js";
import { wordDiff } from "../../schema/diff.js";
import type { AppContext } from "../context.js";
import { documentRow } from "../documents/documents.js";
import { documentText, type Paragraph } from "../documents/paragraphs.js";
import { DELETED_SOURCE, omissionRows, provenanceRows, sourcesOf, type ProvenanceRow } from "./store.js";

export type { OmittedParagraph, ParagraphProvenance, ProvenanceDecision, ProvenanceReport, ProvenanceStatus } from "../../schema/api/provenance.js";
import type { OmittedParagraph, ParagraphProvenance, ProvenanceReport, ProvenanceStatus } from "../../schema/api/provenance.js";

/** A source document's current blocks, indexed for lookups by id. */
export interface SourceText {
  symbol: string;
  /** Canonical hash of the whole source now. */
  hash: string;
  blocks: ReadonlyMap<string, Paragraph>;
}

/** Reads a source's current text once per report. */
export function sourceText(ctx: AppContext, documentId: string): SourceText {
  const text = documentText(ctx, documentId);
  return { symbol: documentRow(ctx, documentId)?.symbol ?? "", hash: text.hash, blocks: text.byId };
}

/**
 * One provenance row against its source's current text: `same` when the text hash equals
 * the baseline, `changed` (with the word diff) when not, `deleted` when the source
 * paragraph is gone. A change the rapporteur declined stays settled (not pending) until the
 * source changes again.
 */
export function assessProvenance(row: ProvenanceRow, source: SourceText, ref: string | null): ParagraphProvenance {
  const current = source.blocks.get(row.source_paragraph_id);
  const currentHash = current ? textHash(current.text) : DELETED_SOURCE;
  const status: ProvenanceStatus = !current ? "deleted" : currentHash === row.base_hash ? "same" : "changed";
  const declined = row.decision === "declined" && row.decision_hash === currentHash;
  const entry: ParagraphProvenance = {
    paragraphId: row.paragraph_id,
    ref,
    sourceDocumentId: row.source_document_id,
    sourceParagraphId: row.source_paragraph_id,
    sourceSymbol: source.symbol,
    sourceRef: current?.ref ?? null,
    status,
    pending: status !== "same" && !declined,
    declined: status !== "same" && declined,
    baseText: row.base_text,
    sourceText: current?.text ?? null,
  };
  if (status === "changed") entry.diff = wordDiff(row.base_text, current!.text);
  if (row.decision && row.decided_at) entry.decision = { action: row.decision, by: row.decider, at: row.decided_at };
  return entry;
}

/**
 * Where each paragraph of a consolidated document came from, and what happened to its
 * source since: same, changed (with the word diff) or deleted, and whether a decision is
 * pending; plus the source paragraphs that are not in it (left out when consolidating, or
 * added to the source later). Paragraphs the rapporteur has since removed from the
 * consolidated text are not reported. A document that is no consolidation has an empty report.
 */
export function provenanceOf(ctx: AppContext, documentId: string): ProvenanceReport {
  const sources = sourcesOf(ctx, documentId);
  const texts = new Map<string, SourceText>();
  for (const s of sources) texts.set(s.source_document_id, sourceText(ctx, s.source_document_id));

  const refs = new Map([...documentText(ctx, documentId).byId].map(([id, p]) => [id, p.ref]));

  const paragraphs: ParagraphProvenance[] = [];
  const copiedFrom = new Set<string>();
  for (const row of provenanceRows(ctx, documentId)) {
    copiedFrom.add(`${row.source_document_id}\n${row.source_paragraph_id}`);
    if (!refs.has(row.paragraph_id)) continue;
    paragraphs.push(assessProvenance(row, texts.get(row.source_document_id)!, refs.get(row.paragraph_id) ?? null));
  }

  const omitted: OmittedParagraph[] = [];
  const leftOut = new Set<string>();
  for (const row of omissionRows(ctx, documentId)) {
    leftOut.add(`${row.source_document_id}\n${row.source_paragraph_id}`);
    const current = texts.get(row.source_document_id)?.blocks.get(row.source_paragraph_id);
    omitted.push({
      sourceDocumentId: row.source_document_id,
      sourceParagraphId: row.source_paragraph_id,
      sourceRef: current?.ref ?? null,
      reason: "not_selected",
      text: current?.text ?? row.text,
      inSource: current !== undefined,
    });
  }
  for (const s of sources) {
    for (const [id, current] of texts.get(s.source_document_id)!.blocks) {
      const key = `${s.source_document_id}\n${id}`;
      if (copiedFrom.has(key) || leftOut.has(key)) continue;
      omitted.push({
        sourceDocumentId: s.source_document_id,
        sourceParagraphId: id,
        sourceRef: current.ref,
        reason: "added_to_source",
        text: current.text,
        inSource: true,
      });
    }
  }

  const summary = { same: 0, changed: 0, deleted: 0, pending: 0, omitted: omitted.length };
  for (const p of paragraphs) {
    summary[p.status] += 1;
    if (p.pending) summary.pending += 1;
  }
  return {
    sources: sources.map((s) => {
      const row = documentRow(ctx, s.source_document_id)!;
      return {
        documentId: row.id,
        symbol: row.symbol,
        title: row.title,
        selection: s.selection,
        hashAtCopy: s.source_hash,
        currentHash: texts.get(s.source_document_id)!.hash,
      };
    }),
    paragraphs,
    omitted,
    summary,
  };
}
