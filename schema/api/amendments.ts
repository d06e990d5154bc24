/** Amendments and civil-society recommendations, as the API gives them. */
import type { DiffRun } from "../diff.js";
import type { PMNodeJSON } from "../pmjson.js";

/** States of an amendment (docs/ARCHITECTURE.md §2). */
export const AMENDMENT_STATES = ["draft", "tabled", "stale", "accepted", "accepted_as_modified", "rejected", "withdrawn"] as const;
/** One amendment state. */
export type AmendmentState = (typeof AMENDMENT_STATES)[number];

/** The operations an amendment may perform on its target paragraph. */
export const AMENDMENT_OPERATIONS = ["replace", "insert_before", "insert_after", "delete"] as const;
/** One amendment operation. */
export type AmendmentOperation = (typeof AMENDMENT_OPERATIONS)[number];

/**
 * What an amendment proposes: plain wording for one paragraph (`{text}`), or one or more
 * paragraphs as ProseMirror JSON without ids (the server gives them ids when it applies).
 */
export type AmendmentContent = { text: string } | PMNodeJSON[];

/** An amendment as the API returns it (docs/API.md "Amendments"). */
export interface Amendment {
  id: string;
  /** "A3"; null while a draft (numbers are given in tabling order). */
  number: string | null;
  documentId: string;
  paragraphId: string;
  /** How delegates cite the target now (OP2), or as last seen if it was deleted. */
  paragraphRef: string | null;
  operation: AmendmentOperation;
  content: AmendmentContent | null;
  rationale: string;
  state: AmendmentState;
  sponsor: string;
  cosponsors: string[];
  cosponsorships: Array<{ delegation: string; joinedAt: string }>;
  /** Other amendments on the table (tabled or stale) against the same paragraph. */
  collidesWith: string[];
  staleReason: string | null;
  baseText: string | null;
  baseHash: string | null;
  tabledAt: string | null;
  decidedBy: string | null;
  decidedAt: string | null;
  decisionReason: string | null;
  /** The chair's wording when accepted as modified. */
  decidedContent: AmendmentContent | null;
  /** Ids of the paragraphs the accepted amendment produced, in order. */
  resultParagraphIds: string[];
  recommendationId: string | null;
  createdAt: string;
  updatedAt: string;
}

/** The word diffs of an amendment against its paragraph now and as it was when tabled. */
export interface AmendmentDiff {
  /** Null when the target paragraph no longer exists. */
  current: DiffRun[] | null;
  base: DiffRun[];
}

/** An amendment with its word diffs (`GET /api/amendments/:id`, list with `diff=1`). */
export interface AmendmentWithDiff extends Amendment {
  diff: AmendmentDiff;
}

/**
 * What an `amendment.*` event carries: the amendment, or for a draft (its delegation's
 * working paper) only that it changed, so that other delegations learn no wording.
 */
export type AmendmentNotice = Amendment | { id: string; state: AmendmentState; sponsor: string; paragraphId: string };

/** A civil-society recommendation delivered to the chair. */
export interface Recommendation {
  id: string;
  documentId: string;
  paragraphId: string | null;
  paragraphRef: string | null;
  text: string;
  rationale: string;
  state: "submitted" | "converted";
  /** Username of the observer who submitted it. */
  author: string;
  /** Delegations that said they would sponsor it as an amendment. */
  sponsorsOffered: string[];
  amendmentId: string | null;
  createdAt: string;
}
