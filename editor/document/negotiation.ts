import type { ApiClient } from "../panels/context.js";
import type { BracketInfo, BracketsAnswer, ParagraphStatus } from "../api/types.js";
import type { StatusMark } from "./plugins/status.js";
import { isMissingRoute } from "../api/client.js";

/** What the text view draws from the negotiation: brackets with holders, paragraph statuses. */
export interface NegotiationMarks {
  brackets: BracketInfo[];
  statuses: Map<string, StatusMark>;
}

const STATUSES = new Set<ParagraphStatus>(["white", "yellow", "green", "ad_ref"]);

const text = (value: unknown): string | null => (typeof value === "string" ? value : null);

/** Statuses by paragraph id from `GET /api/documents/:id/paragraph-statuses` (`[{paragraphId, status, ref, setBy, setAt}]`). */
function statusMap(rows: unknown): Map<string, StatusMark> {
  const map = new Map<string, StatusMark>();
  if (!Array.isArray(rows)) return map;
  for (const row of rows as Array<Record<string, unknown>>) {
    if (typeof row.paragraphId === "string" && STATUSES.has(row.status as ParagraphStatus))
      map.set(row.paragraphId, { status: row.status as ParagraphStatus, ref: text(row.ref), setBy: text(row.setBy), setAt: text(row.setAt) });
  }
  return map;
}

/** `GET` that answers null when the route does not exist (a feature not installed yet). */
async function optional<T>(api: ApiClient, path: string): Promise<T | null> {
  try {
    return await api.get<T>(path);
  } catch (error) {
    if (isMissingRoute(error)) return null;
    throw error;
  }
}

/**
 * Loads the brackets (with holders) and the paragraph statuses of a document. Either may
 * be missing on a server without the brackets or status feature: the page then draws
 * brackets without holders and every paragraph without a band.
 */
export async function loadNegotiationMarks(api: ApiClient, documentId: string): Promise<NegotiationMarks> {
  const [brackets, statuses] = await Promise.all([
    optional<BracketsAnswer>(api, `/api/documents/${documentId}/brackets`),
    optional<unknown>(api, `/api/documents/${documentId}/paragraph-statuses`),
  ]);
  return { brackets: (brackets?.brackets ?? []).filter((b) => b.state === undefined || b.state === "open"), statuses: statusMap(statuses) };
}
