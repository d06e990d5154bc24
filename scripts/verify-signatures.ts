/**
 * `npm run verify-signatures -- <export.json>`: checks a signatures export
 * (`GET /api/documents/:id/signatures/export`) without the server. For each minister it
 * says whether their signature verifies: the statement names this document, the adopted
 * text's hash (and each language version's, when the document has any) and their
 * delegation, and it is signed by the public key in the file (whose fingerprint is
 * printed, to compare with the one the minister published). The adopted text, and each
 * adopted language version, in the file is hashed again, so the hashes the ministers
 * signed are the texts'.
 * Exit status 0 when the text and every standing signature verify, 1 otherwise.
 */
import { readFileSync } from "node:fs";
import { canonicalHash, type CanonicalDocument } from "../schema/index.js";
import { groupedFingerprint, STATEMENT_FORMAT, type SigningStatement } from "../schema/signing-statement.js";
import { fingerprintOf, statementVerifies } from "../server/lifecycle/key-crypto.js";
import type { PublicJwk } from "../schema/api/signatures.js";

interface ExportFile {
  format?: string;
  document?: { id?: string; symbol?: string; title?: string };
  adopted?: { hash?: string; symbol?: string; canonical?: CanonicalDocument } | null;
  authenticTexts?: Array<{ language?: string; documentId?: string; versionId?: string; hash?: string; canonical?: CanonicalDocument }>;
  signatures?: Array<{
    delegation?: string;
    signer?: string;
    voided?: boolean;
    statement?: string | null;
    signature?: string | null;
    key?: { fingerprint?: string; jwk?: PublicJwk } | null;
  }>;
}

/** What is wrong with one signature of the file, or null when it verifies. */
function problemOf(
  file: ExportFile,
  sig: NonNullable<ExportFile["signatures"]>[number],
  adoptedHash: string | null,
  authentic: ReadonlyArray<{ language: string; documentId: string; versionId: string; hash: string }>,
): string | null {
  if (!sig.statement || !sig.signature || !sig.key?.jwk) return "no statement, signature or public key in the file";
  let fingerprint: string;
  try {
    fingerprint = fingerprintOf(sig.key.jwk);
  } catch {
    return "the public key in the file is not an ECDSA P-256 key";
  }
  if (fingerprint !== sig.key.fingerprint) return `the public key's fingerprint is ${fingerprint}, not ${sig.key.fingerprint} as the file says`;
  if (!statementVerifies(sig.key.jwk, sig.statement, sig.signature)) return "the signature does not verify with the public key";
  let statement: Partial<SigningStatement>;
  try {
    statement = JSON.parse(sig.statement) as Partial<SigningStatement>;
  } catch {
    return "the statement is not JSON";
  }
  if (statement.format !== STATEMENT_FORMAT) return `the statement is not an ${STATEMENT_FORMAT}`;
  if (statement.documentId !== file.document?.id) return `the statement is about document ${statement.documentId}, not ${file.document?.id}`;
  if (statement.delegation !== sig.delegation) return `the statement is signed for ${statement.delegation}, not ${sig.delegation}`;
  if (statement.signer !== sig.signer) return `the statement names ${statement.signer} as signer, not ${sig.signer}`;
  if (adoptedHash === null) return "the file has no adopted text to compare with";
  if (statement.adoptedHash !== adoptedHash) return `the statement signs the text ${statement.adoptedHash}, not the adopted text ${adoptedHash}`;
  // Each language version adopted with the document is an authentic text the minister signed, by its own hash.
  const signed = statement.authenticTexts ?? [];
  for (const text of authentic) {
    const named = signed.find((t) => t.documentId === text.documentId);
    if (!named) return `the statement does not cover the ${text.language} text`;
    if (named.hash !== text.hash || named.versionId !== text.versionId) return `the statement signs the ${text.language} text ${named.hash}, not its adopted text ${text.hash}`;
  }
  if (signed.length !== authentic.length) return "the statement names texts that are not in the file";
  return null;
}

function main(path: string | undefined): number {
  if (!path) {
    console.error("usage: npm run verify-signatures -- <signatures export .json>");
    return 2;
  }
  let file: ExportFile;
  try {
    file = JSON.parse(readFileSync(path, "utf8")) as ExportFile;
  } catch (error) {
    console.error(`${path} is not a readable JSON file: ${(error as Error).message}`);
    return 2;
  }
  if (file.format !== "accord.signatures-export/1") {
    console.error(`${path} is not an Accord signatures export (format accord.signatures-export/1)`);
    return 2;
  }
  let ok = true;
  let adoptedHash: string | null = null;
  const adopted = file.adopted;
  console.log(`${file.document?.symbol ?? "?"} — ${file.document?.title ?? "?"}`);
  if (!adopted?.canonical || !adopted.hash) {
    console.log("no adopted text in the file: nothing was signed");
    ok = false;
  } else {
    let actual = "";
    try {
      actual = canonicalHash(adopted.canonical);
    } catch {
      /* reported below */
    }
    if (actual === adopted.hash) {
      adoptedHash = adopted.hash;
      console.log(`adopted text ${adopted.symbol ?? ""}: its canonical SHA-256 is ${adopted.hash} (recomputed)`);
    } else {
      console.log(`ADOPTED TEXT ALTERED: it hashes to ${actual || "nothing"}, the file says ${adopted.hash}`);
      ok = false;
    }
  }
  // The other authentic texts (language versions): each hashed again, like the original.
  const authentic: Array<{ language: string; documentId: string; versionId: string; hash: string }> = [];
  for (const text of file.authenticTexts ?? []) {
    let actual = "";
    try {
      actual = text.canonical ? canonicalHash(text.canonical) : "";
    } catch {
      /* reported below */
    }
    if (actual !== "" && actual === text.hash && text.language && text.documentId && text.versionId) {
      authentic.push({ language: text.language, documentId: text.documentId, versionId: text.versionId, hash: text.hash });
      console.log(`adopted ${text.language} text: its canonical SHA-256 is ${text.hash} (recomputed)`);
    } else {
      console.log(`ADOPTED ${String(text.language ?? "?").toUpperCase()} TEXT ALTERED: it hashes to ${actual || "nothing"}, the file says ${text.hash ?? "nothing"}`);
      ok = false;
    }
  }
  const signatures = file.signatures ?? [];
  let verified = 0;
  for (const sig of signatures) {
    const problem = problemOf(file, sig, adoptedHash, authentic);
    const who = `${(sig.delegation ?? "???").padEnd(4)}${(sig.signer ?? "?").padEnd(18)}`;
    const key = sig.key?.fingerprint ? `key ${groupedFingerprint(sig.key.fingerprint).slice(0, 39)}…` : "no key";
    if (sig.voided) console.log(`${who}voided (not counted): ${problem ? `does not verify: ${problem}` : "its signature verifies"}`);
    else if (problem) {
      ok = false;
      console.log(`${who}DOES NOT VERIFY: ${problem}`);
    } else {
      verified += 1;
      console.log(`${who}verifies (${key})`);
    }
  }
  const standing = signatures.filter((s) => !s.voided).length;
  console.log(ok ? `${verified} of ${standing} signatures verify.` : `FAILED: ${verified} of ${standing} signatures verify.`);
  return ok ? 0 : 1;
}

process.exitCode = main(process.argv[2]);
