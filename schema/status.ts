/**
 * How far a paragraph is agreed (DESIGN.md §1): white (not agreed), yellow (agreed in the
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
