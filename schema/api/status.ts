/**
 * Paragraph agreement statuses as the API gives them (docs/API.md, "Brackets and paragraph status"). One
 * paragraph's status is `ParagraphStatusInfo` (schema/status.ts, which the editor's bands
 * read too).
 */
import type { ParagraphStatus, ParagraphStatusInfo } from "../status.js";
import type { ReasonCode } from "../lifecycle.js";

/** A paragraph a batch could not set, with why (the guard's reasons). */
export interface RefusedStatus {
  paragraphId: string;
  ref: string | null;
  error: string;
  reasons: string[];
  /** Each reason's stable code and the values it names, in the order of `reasons` (null for a reason without one). */
  reasonCodes: Array<ReasonCode | null>;
}

/** `POST /api/documents/:id/paragraph-statuses`: the paragraphs now at the status, and those refused with their reasons. */
export interface StatusBatchResult {
  status: ParagraphStatus;
  changed: ParagraphStatusInfo[];
  refused: RefusedStatus[];
}
