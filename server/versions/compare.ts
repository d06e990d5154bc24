import type { CanonicalDocument } from "../../schema/canonical.js";
import { compareDocuments, } from "../../schema/compare.js";
import type { AppContext } from "../context.js";
import { documentContent } from "../documents/documents.js";
import { getVersion } from "./versions.js";
import type { DocumentComparison, SideInfo } from "../../schema/api/versions.js";

/** One side of a comparison: a version of the document, or its current text. */
export type CompareSide = { version: string } | "current";

function side(ctx: AppContext, documentId: string, which: CompareSide): { canonical: CanonicalDocument; info: SideInfo } {
  if (which === "current") {
    const { canonical, hash } = documentContent(ctx, documentId);
    return { canonical, info: { versionId: null, label: "current text", symbol: null, hash } };
  }
  const v = getVersion(ctx, documentId, which.version);
  return { canonical: v.canonical, info: { versionId: v.id, label: v.label, symbol: v.symbol, hash: v.hash } };
}

/**
 * Compares two versions of a document, or a version and the current text: paragraphs
 * matched by id (added, deleted, moved with both numbers, changed with a word diff, same)
 * and a summary count. 404 when a version is not the document's.
 */
export function compareVersions(ctx: AppContext, documentId: string, from: CompareSide, to: CompareSide): DocumentComparison {
  const a = side(ctx, documentId, from);
  const b = side(ctx, documentId, to);
  return { from: a.info, to: b.info, ...compareDocuments(a.canonical, b.canonical) };
}
