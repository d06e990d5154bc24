import { canonicalHash, type CanonicalDocument } from "../../schema/index.js";
import type { AuthenticText } from "../../schema/signing-statement.js";
import type { AppContext } from "../context.js";
import { documentRow } from "../documents/documents.js";

/** The version a document was adopted as. */
export interface AdoptedVersion {
  id: string;
  symbol: string;
  hash: string;
  createdAt: string;
  canonical: CanonicalDocument;
  /** Whether the stored canonical form still hashes to the stored hash. */
  intact: boolean;
}

/**
 * The version stored by the document's latest adoption, while it stands (the document is
 * adopted or signed); null before adoption and after reopening, when no text is adopted.
 */
export function adoptedVersion(ctx: Pick<AppContext, "db">, documentId: string): AdoptedVersion | null {
  const doc = documentRow(ctx, documentId);
  if (!doc || (doc.state !== "adopted" && doc.state !== "signed")) return null;
  const row = ctx.db
    .prepare(
      `SELECT id, symbol, hash, canonical, created_at FROM versions
       WHERE document_id = ? AND reason = 'transition' AND state = 'adopted' ORDER BY number DESC LIMIT 1`,
    )
    .get(documentId) as { id: string; symbol: string; hash: string; canonical: string; created_at: string } | undefined;
  if (!row) return null;
  const canonical = JSON.parse(row.canonical) as CanonicalDocument;
  return { id: row.id, symbol: row.symbol, hash: row.hash, createdAt: row.created_at, canonical, intact: canonicalHash(canonical) === row.hash };
}


/** A language version's adopted text, with the check of its stored hash and its current hash. */
export interface AdoptedLanguageVersion extends AuthenticText {
  intact: boolean;
  symbol: string;
  canonical: CanonicalDocument;
}

/**
 * The adopted text of each language version of a document (its authentic texts besides
 * the original), by language; empty when it has none. A version adopted with its original
 * has a version stored by the same transition.
 */
export function adoptedLanguageVersions(ctx: Pick<AppContext, "db">, documentId: string): AdoptedLanguageVersion[] {
  const versions = ctx.db.prepare("SELECT id, language FROM documents WHERE original_id = ? ORDER BY language").all(documentId) as Array<{ id: string; language: string }>;
  const out: AdoptedLanguageVersion[] = [];
  for (const v of versions) {
    const adopted = adoptedVersion(ctx, v.id);
    if (!adopted) continue;
    out.push({ language: v.language, documentId: v.id, versionId: adopted.id, hash: adopted.hash, intact: adopted.intact, symbol: adopted.symbol, canonical: adopted.canonical });
  }
  return out;
}

/** The authentic texts a statement names, from the adopted language versions. */
export function authenticTextsOf(versions: readonly AdoptedLanguageVersion[]): AuthenticText[] {
  return versions.map(({ language, documentId, versionId, hash }) => ({ language, documentId, versionId, hash }));
}
