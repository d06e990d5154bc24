import type { ApiClient } from "../panels/context.js";
import type { BracketInfo, BracketsAnswer, ParagraphStatus } from "../api/types.js";
import { isMissingRoute } from "../api/client.js";

/** What the text view draws from the negotiation: brackets with holders, paragraph statuses. */
export interface NegotiationMarks {
  brackets: BracketInfo[];
  statuses: Map<string, ParagraphStatus>;
}

const STATUSES = new Set<ParagraphStatus>(["white", "yellow", "green", "ad_ref"]);

/** Reads statuses from whichever shape the server answers: a map, or a list of rows. */
export function statusMap(answer: unknown): Map<string, ParagraphStatus> {
  const map = new Map<string, ParagraphStatus>();
  const add = (id: unknown, status: unknown) => {
    if (typeof id === "string" && STATUSES.has(status as ParagraphStatus)) map.set(id, status as ParagraphStatus);
  };
  const list = Array.isArray(answer) ? answer : (answer as { statuses?: unknown } | null)?.statuses;
  if (Array.isArray(list)) {
    for (const row of list as Array<Record<string, unknown>>) add(row.paragraphId ?? row.id, row.status);
  } else if (list && typeof list === "object") {
    for (const [id, value] of Object.entries(list)) add(id, typeof value === "object" && value ? (value as { status?: unknown }).status : value);
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
  const map = statusMap(statuses);
  if (map.size === 0 && brackets?.statuses) for (const [id, s] of statusMap(brackets)) map.set(id, s);
  return { brackets: (brackets?.brackets ?? []).filter((b) => b.state === undefined || b.state === "open"), statuses: map };
}
