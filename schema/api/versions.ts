/** Versions of a document and comparisons between them, as the API gives them. */
import type { CanonicalDocument } from "../canonical.js";
import type { Comparison } from "../compare.js";

/** Why a version was stored. */
export type VersionReason = "named" | "transition" | "initial" | "renumbered";

/** A version as `GET /api/documents/:id/versions` lists it. */
export interface VersionInfo {
  id: string;
  documentId: string;
  number: number;
  label: string;
  symbol: string;
  reason: VersionReason;
  state: string;
  hash: string;
  createdBy: string | null;
  createdAt: string;
}

/** `GET /api/documents/:id/versions/:versionId`: a version with its text. */
export interface VersionDetail extends VersionInfo {
  canonical: CanonicalDocument;
}

/** One side of a comparison: a version, or the current text (`versionId` null). */
export interface SideInfo {
  versionId: string | null;
  label: string;
  symbol: string | null;
  hash: string;
}

/** `GET /api/documents/:id/compare`: a comparison with the two sides it was made between. */
export interface DocumentComparison extends Comparison {
  from: SideInfo;
  to: SideInfo;
}

/** A version just stored by a command of another feature (a renumbering, a consolidation): what names it. */
export interface StoredVersion {
  id: string;
  number: number;
  label: string;
  symbol: string;
  hash: string;
}
