import type { CanonicalDocument } from "../../schema/index.js";
import { SIGNING_ALGORITHM } from "../../schema/signing-statement.js";
import type { AppContext } from "../context.js";
import { documentRow } from "../documents/documents.js";
import { notFound } from "../http/errors.js";
import { adoptedLanguageVersions, adoptedVersion } from "./adopted.js";
import { pemOf } from "./key-crypto.js";
import type { PublicJwk } from "../../schema/api/signatures.js";
import { signatureRows } from "./signatures.js";

/** The format tag of a signatures export. */
const SIGNATURES_EXPORT_FORMAT = "accord.signatures-export/1";

/** One signature in an export: everything needed to check it without the server. */
export interface ExportedSignature {
  id: string;
  delegation: string;
  signer: string;
  signedAt: string;
  voided: boolean;
  /** The exact string the minister's browser signed. */
  statement: string | null;
  /** Base64 of the 64-byte r‖s ECDSA signature of the statement's UTF-8 bytes. */
  signature: string | null;
  key: { id: string; fingerprint: string; jwk: PublicJwk; pem: string; confirmedAt: string | null } | null;
}

/** What `GET /api/documents/:id/signatures/export` answers. */
export interface SignaturesExport {
  format: typeof SIGNATURES_EXPORT_FORMAT;
  exportedAt: string;
  algorithm: string;
  /** How to check this file offline. */
  verifyWith: string;
  document: { id: string; title: string; symbol: string; state: string };
  /** The adopted text in canonical form, so that its hash can be recomputed; null when nothing is adopted. */
  adopted: { versionId: string; symbol: string; adoptedAt: string; hash: string; canonical: CanonicalDocument } | null;
  /** The other authentic texts (each language version as adopted), so that each hash can be recomputed. */
  authenticTexts: Array<{ language: string; documentId: string; versionId: string; hash: string; canonical: CanonicalDocument }>;
  signatures: ExportedSignature[];
}

/** The document's signatures with their statements and public keys, for offline verification. */
export function signaturesExport(ctx: AppContext, documentId: string): SignaturesExport {
  const doc = documentRow(ctx, documentId);
  if (!doc) throw notFound("document");
  const adopted = adoptedVersion(ctx, documentId);
  const confirmed = ctx.db.prepare("SELECT confirmed_at FROM signing_keys WHERE id = ?").pluck();
  return {
    format: SIGNATURES_EXPORT_FORMAT,
    exportedAt: new Date().toISOString(),
    algorithm: SIGNING_ALGORITHM,
    verifyWith: "npm run verify-signatures -- <this file>",
    document: { id: doc.id, title: doc.title, symbol: doc.symbol, state: doc.state },
    adopted: adopted ? { versionId: adopted.id, symbol: adopted.symbol, adoptedAt: adopted.createdAt, hash: adopted.hash, canonical: adopted.canonical } : null,
    authenticTexts: adoptedLanguageVersions(ctx, documentId).map(({ language, documentId: id, versionId, hash, canonical }) => ({ language, documentId: id, versionId, hash, canonical })),
    signatures: signatureRows(ctx, documentId).map((row) => {
      const jwk = row.key_public ? (JSON.parse(row.key_public) as PublicJwk) : null;
      return {
        id: row.id,
        delegation: row.delegation,
        signer: row.username,
        signedAt: row.signed_at,
        voided: row.voided_at !== null,
        statement: row.statement,
        signature: row.signature,
        key:
          jwk && row.key_id && row.key_fingerprint
            ? { id: row.key_id, fingerprint: row.key_fingerprint, jwk, pem: pemOf(jwk), confirmedAt: (confirmed.get(row.key_id) as string | null) ?? null }
            : null,
      };
    }),
  };
}
