import type { AppContext } from "../context.js";
import { provenanceOf, type ParagraphProvenance } from "./provenance.js";
import { sourcesOf } from "./store.js";

/** How a pending change names a paragraph here: its reference, or a heading by its words. */
function hereOf(p: ParagraphProvenance): string {
  return p.ref ?? `the heading "${p.baseText.slice(0, 40)}"`;
}

/** How a pending change names its source paragraph: the source's symbol and the paragraph's reference there. */
function thereOf(p: ParagraphProvenance): string {
  return p.sourceRef ? `${p.sourceSymbol} ${p.sourceRef}` : p.sourceSymbol;
}

/** A pending source change as a sentence naming both paragraphs. */
function pendingSentence(p: ParagraphProvenance): string {
  const here = hereOf(p);
  const there = thereOf(p);
  return p.status === "deleted"
    ? `${here}: its source paragraph was deleted from ${p.sourceSymbol}; pull or decline the deletion`
    : `${here}: its source ${there} changed; pull or decline the change`;
}

/**
 * Registers what consolidation says about agreement: a consolidated document is not clean
 * while a source change is pending (the rapporteur has neither pulled nor declined it), and
 * neither is the paragraph concerned. Documents that are no consolidation are never blocked.
 */
export function guardPendingSourceChanges(ctx: AppContext): void {
  ctx.guards.addDocumentCheck((c, documentId) => {
    if (sourcesOf(c, documentId).length === 0) return [];
    return provenanceOf(c, documentId).paragraphs.filter((p) => p.pending).map(pendingSentence);
  });
  ctx.guards.addParagraphCheck((c, documentId, paragraphId) => {
    if (sourcesOf(c, documentId).length === 0) return [];
    const entry = provenanceOf(c, documentId).paragraphs.find((p) => p.paragraphId === paragraphId);
    return entry?.pending ? [pendingSentence(entry)] : [];
  });
}
