/**
 * Paragraph annotations as the API gives them (docs/API.md, "Annotations"): "[Agreed ad
 * ref]" and facilitator's notes.
 */

/** What a paragraph annotation says: the paragraph was agreed ad referendum, or a facilitator's note. */
export const ANNOTATION_KINDS = ["agreed_ad_ref", "facilitator"] as const;
/** One kind of annotation. */
export type AnnotationKind = (typeof ANNOTATION_KINDS)[number];

/** A paragraph annotation as the API returns it. */
export interface Annotation {
  id: string;
  paragraphId: string;
  /** How the paragraph is cited now (OP3, `lead-in "…"`), null once it was deleted. */
  paragraphRef: string | null;
  kind: AnnotationKind;
  /** "Agreed ad ref", or the facilitator's words (printed in braces). */
  text: string;
  createdBy: string | null;
  createdAt: string;
}
