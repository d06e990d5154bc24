import type { ApiClient } from "../panels/context.js";
import type { Bracket, BracketRegister, ParagraphStatus } from "../api/types.js";
import type { StatusMark } from "./plugins/status.js";
import type { FrozenLabel } from "../../schema/numbering.js";
import { isMissingRoute } from "../api/client.js";

/** What the text view draws from the negotiation: brackets with holders, paragraph statuses, frozen numbers. */
export interface NegotiationMarks {
  brackets: Bracket[];
  statuses: Map<string, StatusMark>;
  /** The labels the document's numbers are frozen with (empty for a draft). */
  frozen: Map<string, FrozenLabel>;
}

/** Frozen labels by paragraph id from `GET /api/documents/:id/numbering` (`{labels: {id: {kind, level, label}}}`). */
export function frozenLabelMap(answer: unknown): Map<string, FrozenLabel> {
  const map = new Map<string, FrozenLabel>();
  const labels = (answer as { labels?: unknown } | null)?.labels;
  if (!labels || typeof labels !== "object") return map;
  for (const [id, value] of Object.entries(labels as Record<string, Record<string, unknown>>)) {
    if ((value.kind === "pp" || value.kind === "op") && typeof value.level === "number" && typeof value.label === "string")
      map.set(id, { kind: value.kind, level: value.level, label: value.label });
  }
  return map;
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
 * Loads the brackets (with holders), the paragraph statuses and the frozen numbers of a
 * document. Any may be missing on a server without the brackets, status or numbering
 * feature: the page then draws brackets without holders, every paragraph without a band,
 * and numbers in order.
 */
export async function loadNegotiationMarks(api: ApiClient, documentId: string): Promise<NegotiationMarks> {
  const [brackets, statuses, numbering] = await Promise.all([
    optional<BracketRegister>(api, `/api/documents/${documentId}/brackets`),
    optional<unknown>(api, `/api/documents/${documentId}/paragraph-statuses`),
    optional<unknown>(api, `/api/documents/${documentId}/numbering`),
  ]);
  return {
    brackets: (brackets?.brackets ?? []).filter((b) => b.state === undefined || b.state === "open"),
    statuses: statusMap(statuses),
    frozen: frozenLabelMap(numbering),
  };
}
