/**
 * Shapes of the API answers the editor core reads (docs/API.md), from the contract in
 * schema/api/. The panels' own shapes (amendments, versions, signatures…) live with the panels.
 */
/** A bracket as `GET /api/documents/:id/brackets` lists it; the register that lists them. */
export type { Bracket, BracketRegister } from "../../schema/api/brackets.js";

/** Agreement status of a paragraph (docs/ARCHITECTURE.md §1). */
export type { ParagraphStatus } from "../../schema/status.js";
