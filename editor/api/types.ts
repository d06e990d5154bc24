/**
 * Shapes of the API answers the editor core reads (docs/API.md). The panels' own shapes
 * (amendments, versions, signatures…) live with the panels.
 */
import type { DocumentInfo } from "../panels/context.js";

/** `GET /api/meetings` entries. */
export interface Meeting {
  id: string;
  title: string;
  seriesSymbol: string;
  venue: string;
  startsOn: string | null;
  endsOn: string | null;
  languages: string[];
}

/** `GET /api/meetings/:id/bodies` entries. */
export interface Body {
  id: string;
  kind: "plenary" | "working_group" | "ad_hoc_group";
  name: string;
  shortName: string;
  chairs: Array<{ username: string; displayName: string }>;
}

/** `GET /api/meetings/:id/documents` entries. */
export interface DocumentSummary {
  id: string;
  meetingId: string;
  bodyId: string;
  kind: DocumentInfo["kind"];
  title: string;
  symbol: string;
  state: DocumentInfo["state"];
  createdAt: string;
  updatedAt: string;
}

/** A bracket as `GET /api/documents/:id/brackets` lists it (fields the page draws). */
export interface BracketInfo {
  id: string;
  paragraphId?: string;
  group?: string | null;
  label?: string;
  holders: string[];
  state?: "open" | "resolved" | "removed";
}

/** Agreement status of a paragraph (docs/ARCHITECTURE.md §1). */
export type { ParagraphStatus } from "../../schema/status.js";

/** `GET /api/documents/:id/brackets`, as far as the text view needs it. */
export interface BracketsAnswer {
  clean?: boolean;
  brackets: BracketInfo[];
}
