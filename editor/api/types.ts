/**
 * Shapes of the API answers the editor core reads (docs/API.md). The panels' own shapes
 * (amendments, versions, signatures…) live with the panels.
 */
/** A bracket as `GET /api/documents/:id/brackets` lists it (fields the page draws). */
export interface BracketInfo {
  id: string;
  paragraphId?: string;
  group?: string | null;
  label?: string;
  holders: string[];
  /** Delegations or groups supporting the wording (absent on older servers). */
  supporters?: string[];
  /** "paragraphs" for a bracket around whole paragraphs, "text" for a span (absent on older servers). */
  scope?: "text" | "paragraphs";
  /** "Option 1" for a labelled alternative of whole paragraphs. */
  optionLabel?: string | null;
  state?: "open" | "resolved" | "removed";
}

/** Agreement status of a paragraph (docs/ARCHITECTURE.md §1). */
export type { ParagraphStatus } from "../../schema/status.js";

/** `GET /api/documents/:id/brackets`, as far as the text view needs it. */
export interface BracketsAnswer {
  clean?: boolean;
  brackets: BracketInfo[];
}
