import { verifyAuditChain, type ChainCheck } from "../audit/audit.js";
import type { Db } from "../store/db.js";

interface Verified {
  dataVersion: number;
  seq: number;
  hash: string;
  checked: number;
}

const verified = new WeakMap<Db, Verified>();

/**
 * The audit chain check for verifications, without re-walking the whole chain on every
 * request. This process only ever appends to the chain, so events verified before stay
 * verified as long as no other connection has written the database file; SQLite's
 * `data_version` changes exactly when one has, and then the whole chain is walked again
 * (as it is after every restart). A broken chain is never remembered.
 */
export function checkAuditChain(db: Db): ChainCheck {
  const dataVersion = db.pragma("data_version", { simple: true }) as number;
  const known = verified.get(db);
  const from = known && known.dataVersion === dataVersion ? known : undefined;
  const check = verifyAuditChain(db, from);
  if (check.ok && check.last) verified.set(db, { dataVersion, ...check.last, checked: check.checked });
  else verified.delete(db);
  const { last: _last, ...answer } = check;
  return answer;
}
