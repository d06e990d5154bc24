/**
 * How far a paragraph is agreed (docs/ARCHITECTURE.md §1): white (not agreed), yellow (agreed in the
 * group), green (agreed in plenary), ad_ref (agreed ad referendum). A paragraph without a
 * recorded status is white. Shared by the server's status feature and the editor.
 */
export const PARAGRAPH_STATUSES = ["white", "yellow", "green", "ad_ref"] as const;
/** One paragraph status. */
export type ParagraphStatus = (typeof PARAGRAPH_STATUSES)[number];

/** A paragraph's status as `GET /api/documents/:id/paragraph-statuses` returns it. */
export interface ParagraphStatusInfo {
  paragraphId: string;
  ref: string | null;
  kind: string;
  status: ParagraphStatus;
  setBy: string | null;
  setAt: string | null;
}

/** Words for a status, as the room says them. */
export const STATUS_WORDS: Record<ParagraphStatus, string> = {
  white: "not agreed",
  yellow: "agreed in the group",
  green: "agreed in plenary",
  ad_ref: "agreed ad referendum",
};

/**
 * Whether a paragraph of this status is agreed, and so locked: its text changes only
 * after its body's chair reopens it (back to white).
 */
export function isAgreed(status: ParagraphStatus): boolean {
  return status !== "white";
}
