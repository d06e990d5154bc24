/** A document's lifecycle as the API gives it: the moves the caller may make now. */
import type { OfferedTransition } from "../lifecycle.js";
import type { DocumentState } from "../roles.js";

/** `GET /api/documents/:id/transitions`: the document's state and the moves the caller may make from it, each with its blockers. */
export interface TransitionsAnswer {
  state: DocumentState;
  transitions: OfferedTransition[];
}
