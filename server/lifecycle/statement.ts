import { stableStringify } from "../../schema/hash.js";
import { STATEMENT_FORMAT, statementText, type SigningStatement, type StatementBasis } from "../../schema/signing-statement.js";
import type { AppContext } from "../context.js";
import { documentRow } from "../documents/documents.js";
import { badRequest, conflict, notFound } from "../http/errors.js";
import { revisionOf } from "../versions/versions.js";
import { adoptedLanguageVersions, adoptedVersion, authenticTextsOf } from "./adopted.js";

/** How far a statement's time may be from the server's clock (a browser's clock drifts; a replay from last week is refused). */
const CLOCK_SKEW_MS = 10 * 60_000;

/** What a minister of `delegation` signs on this document now; 409 when nothing is adopted. */
export function statementBasis(ctx: AppContext, documentId: string, signer: { username: string; delegation: string }): StatementBasis {
  const doc = documentRow(ctx, documentId);
  if (!doc) throw notFound("document");
  const adopted = adoptedVersion(ctx, documentId);
  if (!adopted) throw conflict(`the document is ${doc.state}; there is no adopted text to sign`);
  const authentic = authenticTextsOf(adoptedLanguageVersions(ctx, documentId));
  return {
    format: STATEMENT_FORMAT,
    documentId,
    title: doc.title,
    symbol: adopted.symbol,
    revision: revisionOf(adopted.symbol),
    versionId: adopted.id,
    adoptedAt: adopted.createdAt,
    adoptedHash: adopted.hash,
    delegation: signer.delegation,
    signer: signer.username,
    ...(authentic.length > 0 ? { authenticTexts: authentic } : {}),
  };
}

/**
 * Checks that `text` is exactly the statement the server expects for this signature (the
 * basis, the reservation sent with it, a time near now) and returns it parsed. 400 with
 * every field that differs otherwise.
 */
export function expectedStatement(
  basis: StatementBasis,
  text: string,
  reservation: { paragraphId?: string | undefined; text: string } | undefined,
  now = Date.now(),
): SigningStatement {
  let sent: Partial<SigningStatement>;
  try {
    sent = JSON.parse(text) as Partial<SigningStatement>;
  } catch {
    throw badRequest("the signed statement is not JSON");
  }
  if (typeof sent !== "object" || sent === null || typeof sent.signedAt !== "string") throw badRequest("the signed statement has no signedAt time");
  const signedAt = Date.parse(sent.signedAt);
  if (!Number.isFinite(signedAt) || new Date(signedAt).toISOString() !== sent.signedAt) throw badRequest("the statement's signedAt is not an ISO 8601 time (as Date.toISOString writes it)");
  if (Math.abs(signedAt - now) > CLOCK_SKEW_MS) throw badRequest("the statement was signed more than ten minutes from now; check the computer's clock and sign again");
  const expected: SigningStatement = {
    ...basis,
    signedAt: sent.signedAt,
    reservation: reservation ? { paragraphId: reservation.paragraphId ?? null, text: reservation.text } : null,
  };
  if (statementText(expected) !== text) {
    const differs = (Object.keys(expected) as Array<keyof SigningStatement>).filter(
      (k) => stableStringify(expected[k]) !== stableStringify((sent as Record<string, unknown>)[k]),
    );
    throw badRequest(
      "the signed statement is not the statement of this signature",
      differs.length > 0 ? differs.map((k) => `${k}: expected ${JSON.stringify(expected[k])}`) : ["the statement must be the sorted-key JSON of its fields, without white space"],
    );
  }
  return expected;
}
