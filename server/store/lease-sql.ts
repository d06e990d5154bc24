import type { Db } from "./db.js";

// The lease table (`document_owners`) as the statements that write under a lease check it:
// the text store's fenced writes and the cluster's leases both use these, so that the store
// checks a lease without depending on the cluster that takes it.

/** A document's lease as a statement checks it: the document and the fencing token written with. */
export interface LeaseKey {
  documentId: string;
  token: number;
}

/**
 * Leases as one statement's parameter: a JSON array of "<document>:<token>", which SQL
 * compares with `document_id || ':' || token` (see `leaseHeldSql`; the cluster's `DocumentLeases.renewAll`).
 */
export function leasesParameter(leases: Iterable<LeaseKey>): string {
  return JSON.stringify(Array.from(leases, (l) => `${l.documentId}:${l.token}`));
}

/**
 * SQL that is 1 when the lease of the document `documentId` names (an SQL expression: `?`,
 * or a column of the statement it is put in, correlated) is held by the holder bound to its
 * next parameter, with the token given for that document in the next (`leasesParameter`),
 * and live at the time bound to the third; null otherwise. On PostgreSQL it locks the lease
 * row until the transaction ends, so that a takeover waits for the write it fences to
 * commit (SQLite's one writer at a time does the same for the whole file). The fence of the
 * text store's writes (see `TextStore.fence`) and the cluster's `DocumentLeases.holds`.
 */
export function leaseHeldSql(dialect: Db["dialect"], documentId: string): string {
  return `(SELECT 1 FROM document_owners WHERE document_id = ${documentId} AND holder = ?
     AND (document_id || ':' || token) IN (SELECT value FROM json_each(?)) AND expires_at > ?${dialect === "postgres" ? " FOR SHARE" : ""})`;
}
