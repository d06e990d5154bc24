import { canonicalHash, type CanonicalDocument } from "../../schema/index.js";
import type { AuthenticText, SigningStatement } from "../../schema/signing-statement.js";
import { checkAuditChain } from "./audit-check.js";
import { fingerprintOf, statementVerifies } from "./key-crypto.js";
import type { PublicJwk } from "../../schema/api/signatures.js";
import type { AppContext } from "../context.js";
import { dataVersion } from "../store/db.js";
import { documentContent } from "../documents/documents.js";
import { adoptedLanguageVersions, adoptedVersion, authenticTextsOf } from "./adopted.js";
import { reservationFootnotes } from "./reservations.js";
import { signatureSeal } from "./seal.js";
import { reasonCodes, refusalOf } from "../http/refusals.js";
import { sealedFields, signatureInfo, signatureRows, type SignatureRow } from "./signatures.js";
import { missingSignatories, requiredSignatories } from "./signatories.js";

export type { CheckedSignature, Verification } from "../../schema/api/signatures.js";
import type { CheckedSignature, Verification } from "../../schema/api/signatures.js";

interface SealRecord {
  target_id: string;
  action: string;
  details: string;
  user_id: string | null;
  role: string | null;
  delegation: string | null;
}

/** What the audit trail recorded when a signature was added: who signed, in what role, for whom. */
interface Recorded {
  seal: string;
  delegation: string;
  hash: string;
  signer: { userId: string | null; role: string | null; delegation: string | null } | null;
  /** The fingerprint of the key the signature was made with, as recorded when it was added. */
  keyFingerprint: string | null;
}

interface KeyRow {
  id: string;
  user_id: string;
  public_key: string;
  fingerprint: string;
  confirmed_at: string | null;
}

/**
 * What is wrong with a signature's key, statement and signer, or undefined: made with the
 * signer's key, confirmed before it signed; the statement verifies with it and names the
 * stored document, version, text, delegation and signer; and the audit trail recorded the
 * signer as a minister of the delegation signed for when they signed.
 */
function keyProblem(ctx: AppContext, row: SignatureRow, record: Recorded | undefined, authentic: readonly AuthenticText[]): string | undefined {
  const who = row.delegation;
  if (record?.signer && (record.signer.role !== "minister" || record.signer.delegation !== who || record.signer.userId !== row.user_id))
    return `the signature of ${who} was recorded for ${record.signer.role ?? "nobody"} of ${record.signer.delegation ?? "no delegation"}, not a minister of ${who}`;
  if (!row.key_id || !row.statement || !row.signature) return `the signature of ${who} was not made with the minister's own key`;
  const key = ctx.db.prepare("SELECT id, user_id, public_key, fingerprint, confirmed_at FROM signing_keys WHERE id = ?").get(row.key_id) as KeyRow | undefined;
  if (!key) return `the key the signature of ${who} was made with is missing`;
  const jwk = JSON.parse(key.public_key) as PublicJwk;
  let fingerprint = "";
  try {
    fingerprint = fingerprintOf(jwk);
  } catch {
    /* reported below as a changed key */
  }
  if (fingerprint !== key.fingerprint || record?.keyFingerprint !== key.fingerprint) return `the key of ${who}'s minister was changed after it was registered`;
  if (key.user_id !== row.user_id) return `the signature of ${who} was made with someone else's key`;
  if (!key.confirmed_at || key.confirmed_at > row.signed_at) return `the signature of ${who} was made with a key the secretariat had not confirmed`;
  if (!statementVerifies(jwk, row.statement, row.signature)) return `the minister's signature of ${who} does not verify with their key`;
  let statement: Partial<SigningStatement>;
  try {
    statement = JSON.parse(row.statement) as Partial<SigningStatement>;
  } catch {
    return `the statement signed by ${who} is not readable`;
  }
  if (
    statement.documentId !== row.document_id ||
    statement.adoptedHash !== row.hash ||
    statement.versionId !== row.version_id ||
    statement.delegation !== who ||
    statement.signer !== row.username
  )
    return `the statement ${who}'s minister signed is not about this signature's document, text or delegation`;
  // Every authentic text (each language version as adopted) is covered, each by its own hash.
  const signed = statement.authenticTexts ?? [];
  for (const text of authentic) {
    const named = signed.find((t) => t.documentId === text.documentId);
    if (!named) return `the statement ${who}'s minister signed does not cover the ${text.language} text`;
    if (named.hash !== text.hash || named.versionId !== text.versionId || named.language !== text.language)
      return `the statement ${who}'s minister signed names ${named.hash} for the ${text.language} text, not its adopted hash ${text.hash}`;
  }
  if (signed.length !== authentic.length) return `the statement ${who}'s minister signed names texts that were not adopted with this document`;
  return undefined;
}

/**
 * Results of the costly checks of rows this process never changes once written (a version's
 * re-hash, a signature's ECDSA check), remembered until another connection writes the
 * database file: SQLite's `data_version` changes exactly then, as for the chain walk.
 */
const remembered = new WeakMap<AppContext["db"], { dataVersion: number; results: Map<string, string | undefined> }>();

function memo(ctx: AppContext, key: string, check: () => string | undefined): string | undefined {
  const version = dataVersion(ctx.db);
  // Without a data version (PostgreSQL: other processes write), nothing is remembered.
  if (version === null) return check();
  let entry = remembered.get(ctx.db);
  if (!entry || entry.dataVersion !== version) remembered.set(ctx.db, (entry = { dataVersion: version, results: new Map() }));
  if (entry.results.has(key)) return entry.results.get(key);
  const result = check();
  // Only what verified is remembered: a problem is looked at again on every request.
  if (result === undefined) entry.results.set(key, result);
  return result;
}

/** Problems with the document's stored versions: a text that no longer hashes to its hash, or a hash the audit trail did not record. */
function versionProblems(ctx: AppContext, documentId: string): { checked: number; problems: string[] } {
  const audited = new Map<string, string>();
  for (const r of ctx.db
    .prepare("SELECT target_id, details FROM audit_events WHERE document_id = ? AND action = 'version.created'")
    .all(documentId) as Array<{ target_id: string; details: string }>)
    audited.set(r.target_id, (JSON.parse(r.details) as { hash?: string }).hash ?? "");
  const problems: string[] = [];
  const rows = ctx.db.prepare("SELECT id, symbol, label, canonical, hash FROM versions WHERE document_id = ? ORDER BY number").all(documentId) as Array<{
    id: string;
    symbol: string;
    label: string;
    canonical: string;
    hash: string;
  }>;
  for (const v of rows) {
    const problem = memo(ctx, `version ${v.id} ${v.hash}`, () => {
      let actual = "";
      try {
        actual = canonicalHash(JSON.parse(v.canonical) as CanonicalDocument);
      } catch {
        /* an unreadable text is reported as changed */
      }
      if (actual !== v.hash) return `the stored text of version ${v.symbol} (${v.label}) no longer hashes to its hash ${v.hash}`;
      if (audited.get(v.id) !== v.hash) return `version ${v.symbol} (${v.label}) has a hash the audit trail did not record`;
      return undefined;
    });
    if (problem) problems.push(problem);
  }
  return { checked: rows.length, problems };
}

/**
 * Proves (or disproves) that the text on record is the text that was adopted and signed:
 * recomputes the current canonical hash, checks the adopted version's stored hash, every
 * signature's seal against its row and against the seal its audit event recorded, each
 * signature against the minister's own key and the statement it signed, and the signer's
 * role and delegation as the trail recorded them; looks for signatures the audit trail
 * records but the table no longer has; re-hashes every stored version of the document;
 * walks the audit chain and checks its head against the audit key.
 */
export function verifyDocument(ctx: AppContext, documentId: string): Verification {
  const { canonical, hash: currentHash } = documentContent(ctx, documentId);
  const adopted = adoptedVersion(ctx, documentId);
  const adoptedHash = adopted?.hash ?? null;
  const problems: string[] = [];
  const state = (ctx.db.prepare("SELECT state FROM documents WHERE id = ?").pluck().get(documentId) as string | undefined) ?? "unknown";

  // The seal each signature had when the audit trail last recorded it (added, then voided),
  // and who the trail says signed it.
  const recorded = new Map<string, Recorded>();
  for (const r of ctx.db
    .prepare(
      `SELECT target_id, action, details, user_id, role, delegation FROM audit_events
       WHERE document_id = ? AND action IN ('signature.added', 'signature.voided') ORDER BY seq`,
    )
    .all(documentId) as SealRecord[]) {
    const details = JSON.parse(r.details) as { seal?: string; delegation?: string; hash?: string; keyFingerprint?: string };
    const added = r.action === "signature.added";
    const before = recorded.get(r.target_id);
    recorded.set(r.target_id, {
      seal: details.seal ?? "",
      delegation: details.delegation ?? "",
      hash: details.hash ?? "",
      signer: added ? { userId: r.user_id, role: r.role, delegation: r.delegation } : (before?.signer ?? null),
      keyFingerprint: added ? (details.keyFingerprint ?? null) : (before?.keyFingerprint ?? null),
    });
  }

  const languageVersions = adoptedLanguageVersions(ctx, documentId);
  const authentic = authenticTextsOf(languageVersions);
  const rows = signatureRows(ctx, documentId);
  const checked: CheckedSignature[] = rows.map((row) => {
    const voided = row.voided_at !== null;
    const resealed = signatureSeal(sealedFields(row));
    const record = recorded.get(row.id);
    let problem: string | undefined;
    if (resealed !== row.seal) problem = `the stored signature of ${row.delegation} was changed after it was recorded`;
    else if (!record) problem = `the signature of ${row.delegation} has no record in the audit trail`;
    else if (record.seal !== row.seal) problem = `the signature of ${row.delegation} does not match its audit record`;
    const intact = problem === undefined;
    // null: a signature whose row is not intact is not checked against its key.
    const byKey = intact ? memo(ctx, `signature ${row.id} ${row.seal}`, () => keyProblem(ctx, row, record, authentic)) : null;
    if (intact && byKey && !voided) problem = byKey;
    const matchesAdopted = adoptedHash !== null && row.hash === adoptedHash;
    if (intact && !voided && !matchesAdopted) problem = `${row.delegation} signed ${row.hash}, not the adopted text`;
    return {
      ...signatureInfo(ctx, row),
      valid: problem === undefined && !voided,
      intact,
      matchesAdopted,
      matchesCurrent: row.hash === currentHash,
      voided,
      signedWithKey: byKey === undefined,
      ...(problem ? { problem } : {}),
    };
  });
  const present = new Set(rows.map((r) => r.id));
  for (const [id, record] of recorded) {
    if (present.has(id)) continue;
    checked.push({
      id,
      delegation: record.delegation,
      hash: record.hash,
      valid: false,
      intact: false,
      matchesAdopted: record.hash === adoptedHash,
      matchesCurrent: record.hash === currentHash,
      voided: false,
      signedWithKey: false,
      problem: `the signature of ${record.delegation} recorded in the audit trail is missing from the signatures`,
    });
  }
  checked.sort((a, b) => Number(a.voided) - Number(b.voided));

  const audit = checkAuditChain(ctx.db);
  const versions = versionProblems(ctx, documentId);
  problems.push(...versions.problems);
  if (adopted && !adopted.intact) problems.push(`the adopted version ${adopted.symbol} no longer hashes to ${adopted.hash}`);
  if (adoptedHash && currentHash !== adoptedHash) problems.push(`the current text (${currentHash}) is not the adopted text (${adoptedHash})`);
  const authenticTexts = languageVersions.map((v) => ({
    language: v.language,
    documentId: v.documentId,
    versionId: v.versionId,
    adoptedHash: v.hash,
    currentHash: documentContent(ctx, v.documentId).hash,
    intact: v.intact,
  }));
  for (const t of authenticTexts) {
    if (!t.intact) problems.push(`the adopted ${t.language} text no longer hashes to ${t.adoptedHash}`);
    if (t.currentHash !== t.adoptedHash) problems.push(`the current ${t.language} text (${t.currentHash}) is not its adopted text (${t.adoptedHash})`);
  }
  for (const s of checked) {
    if (!s.problem) continue;
    problems.push(s.problem);
    const code = refusalOf(s.problem);
    if (code) s.problemCode = code;
  }
  if (!audit.ok) problems.push(`audit trail broken at event ${audit.brokenAt}: ${audit.problem}`);
  return {
    documentId,
    state,
    currentHash,
    adoptedHash,
    adoptedVersion: adopted ? { id: adopted.id, symbol: adopted.symbol, createdAt: adopted.createdAt, intact: adopted.intact } : null,
    signatures: checked,
    authenticTexts,
    required: requiredSignatories(ctx, documentId).delegations,
    missing: missingSignatories(ctx, documentId),
    reservations: reservationFootnotes(ctx, documentId, canonical),
    audit,
    versions: { checked: versions.checked, intact: versions.problems.length === 0 },
    ok: problems.length === 0,
    problems,
    problemCodes: reasonCodes(problems),
  };
}
