/**
 * A document's frozen numbering as the API gives it (docs/API.md, "Documents", "Numbering"): the labels
 * its paragraphs keep once it leaves the draft, until the secretariat renumbers it.
 */
import type { FrozenLabel } from "../numbering.js";
import type { StoredVersion } from "./versions.js";

/** How the numbers came to be frozen: on leaving the draft, or by the secretariat's renumbering. */
export type NumberingAct = "frozen" | "renumbered";

/** `GET /api/documents/:id/numbering`: frozen labels by paragraph id, or none for a draft. */
export interface NumberingInfo {
  /** 0 while the document is a draft. */
  revision: number;
  act: NumberingAct | null;
  actedAt: string | null;
  labels: Record<string, FrozenLabel>;
}

/** A paragraph cited differently after a freeze or a renumbering (null: it had, or has, no citation). */
export interface Renumbered {
  paragraphId: string;
  from: string | null;
  to: string | null;
}

/** `POST /api/documents/:id/renumber`: the new numbering revision, every citation it changed, and the version of the renumbered text it stored. */
export interface Renumbering {
  revision: number;
  changed: Renumbered[];
  version: StoredVersion;
}
