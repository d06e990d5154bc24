import { verifyAuditChain } from "../audit/audit.js";
import { checkHeadSeal } from "../audit/head-seal.js";
import { dataVersion, type Db } from "../store/db.js";

interface Verified {
  dataVersion: number;
  seq: number;
  hash: string;
  checked: number;
}

export type { SealedChainCheck } from "../../schema/api/signatures.js";
import type { SealedChainCheck } from "../../schema/api/signatures.js";

const verified = new WeakMap<Db, Verified>();

/**
 * The audit chain check for verifications, without re-walking the whole chain on every
 * request. This process only ever appends to the chain, so events verified before stay
 * verified as long as no other connection has written the database file; SQLite's
 * `data_version` changes exactly when one has, and then the whole chain is walked again
 * (as it is after every restart, and every time on PostgreSQL, which has no such counter). A broken chain is never remembered. The head's seal and
 * the record kept next to the audit key are checked every time (one HMAC, one small file).
 */
export function checkAuditChain(db: Db): SealedChainCheck {
  const version = dataVersion(db);
  const known = verified.get(db);
  const from = known && version !== null && known.dataVersion === version ? known : undefined;
  const check = verifyAuditChain(db, from);
  if (check.ok && check.last && version !== null) verified.set(db, { dataVersion: version, ...check.last, checked: check.checked });
  else verified.delete(db);
  const { last, ...answer } = check;
  const seal = checkHeadSeal(db);
  if (answer.ok && !seal.ok) return { ...answer, ok: false, brokenAt: last?.seq ?? 0, problem: seal.problems.join("; "), sealedWith: seal.keyId, recordedSeq: seal.recordedSeq };
  return { ...answer, sealedWith: seal.keyId, recordedSeq: seal.recordedSeq };
}
