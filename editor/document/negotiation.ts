import type { ApiClient } from "../panels/context.js";
import type { Bracket, BracketRegister } from "../api/types.js";
import type { ParagraphStatusInfo } from "../../schema/status.js";
import type { NumberingInfo } from "../../schema/api/numbering.js";
import type { StatusMark } from "./plugins/status.js";
import type { FrozenLabel } from "../../schema/numbering.js";

/** What the text view draws from the negotiation: brackets with holders, paragraph statuses, frozen numbers. */
export interface NegotiationMarks {
  brackets: Bracket[];
  statuses: Map<string, StatusMark>;
  /** The labels the document's numbers are frozen with (empty for a draft). */
  frozen: Map<string, FrozenLabel>;
}

/**
 * Loads the open brackets (with holders), the paragraph statuses and the frozen numbers of
 * a document, as the server answers them.
 */
export async function loadNegotiationMarks(api: ApiClient, documentId: string): Promise<NegotiationMarks> {
  const [register, statuses, numbering] = await Promise.all([
    api.get<BracketRegister>(`/api/documents/${documentId}/brackets`),
    api.get<ParagraphStatusInfo[]>(`/api/documents/${documentId}/paragraph-statuses`),
    api.get<NumberingInfo>(`/api/documents/${documentId}/numbering`),
  ]);
  return {
    brackets: register.brackets.filter((b) => b.state === "open"),
    statuses: new Map(statuses.map(({ paragraphId, status, ref, setBy, setAt }) => [paragraphId, { status, ref, setBy, setAt }])),
    frozen: new Map(Object.entries(numbering.labels)),
  };
}
