import { createHash } from "node:crypto";
import { wordDiff } from "../../schema/diff.js";
import { auditActor } from "../audit/audit.js";
import { authoriseDocument } from "../auth/policy.js";
import type { User } from "../auth/users.js";
import type { CommandTx } from "../commands/command.js";
import type { AppContext } from "../context.js";
import { documentFacts, documentLanguage, documentRow, type DocumentRow } from "../documents/documents.js";
import { citation, documentText, type DocumentText } from "../documents/paragraphs.js";
import { documentEvent } from "../events/events.js";
import { conflict, notFound } from "../http/errors.js";
import { statement } from "../store/statements.js";
import { requireVersion, versionsOf } from "./versions.js";
import type { LanguageEntry, ParagraphTranslation, StatusCounts } from "../../schema/api/languages.js";

/** SHA-256 (hex) of a paragraph's NFC text: what a translation is recorded against. */
export function paragraphTextHash(text: string): string {
  return createHash("sha256").update(text.normalize("NFC")).digest("hex");
}

// Hashes of the original's paragraphs, per text version: the status of four languages
// hashes the original once.
const hashes = new WeakMap<DocumentText, Map<string, string>>();

function hashOf(original: DocumentText, paragraphId: string, text: string): string {
  let perText = hashes.get(original);
  if (!perText) hashes.set(original, (perText = new Map()));
  let hash = perText.get(paragraphId);
  if (hash === undefined) perText.set(paragraphId, (hash = paragraphTextHash(text)));
  return hash;
}

interface TranslationRow {
  paragraph_id: string;
  original_hash: string;
  original_text: string;
}

/**
 * The translation status of every paragraph of the original in a language version, in
 * the original's order: `missing` when the version's text is empty, it was never marked
 * translated or the version does not have the paragraph yet (its follow of the original's
 * structure is still to come), `current` when the original paragraph still has the text it
 * was translated from, `outdated` otherwise (with the word diff of the original since, and
 * the original's brackets not marked in the translation, when `withDiff`). A paragraph the
 * original no longer has, still in the version until it follows, has no status.
 */
export function translationStatuses(ctx: AppContext, versionId: string, originalId: string, withDiff = true): ParagraphTranslation[] {
  const original = documentText(ctx, originalId);
  const version = documentText(ctx, versionId);
  const rows = new Map(
    (statement(ctx.db, "SELECT paragraph_id, original_hash, original_text FROM translations WHERE document_id = ?").all(versionId) as TranslationRow[]).map((r) => [
      r.paragraph_id,
      r,
    ]),
  );
  return original.paragraphs.map((source): ParagraphTranslation => {
    const p = version.byId.get(source.id);
    const ref = citation(source);
    const row = rows.get(source.id);
    const marked = new Set((p?.brackets ?? []).map((b) => b.id));
    const unmarked = withDiff ? [...new Set(source.brackets.map((b) => b.id))].filter((id) => !marked.has(id)) : [];
    const warning = unmarked.length > 0 ? { missingBrackets: unmarked } : {};
    if (!p || p.text.trim().length === 0 || !row) return { paragraphId: source.id, ref, status: "missing", ...warning };
    if (hashOf(original, source.id, source.text) === row.original_hash) return { paragraphId: source.id, ref, status: "current", ...warning };
    return { paragraphId: source.id, ref, status: "outdated", ...(withDiff ? { originalDiff: wordDiff(row.original_text, source.text) } : {}), ...warning };
  });
}

/** Counts of a list of statuses. */
export function countStatuses(statuses: readonly Pick<ParagraphTranslation, "status">[]): StatusCounts {
  const counts: StatusCounts = { current: 0, outdated: 0, missing: 0 };
  for (const s of statuses) counts[s.status] += 1;
  return counts;
}

/**
 * The original and every language version of the document `row` belongs to (itself an
 * original or a version), original first: the original's paragraphs all count as current.
 */
export function languageEntries(ctx: AppContext, row: DocumentRow): LanguageEntry[] {
  const originalId = row.original_id ?? row.id;
  const original = row.original_id ? documentRow(ctx, originalId) : row;
  if (!original) throw notFound("document");
  const entries: LanguageEntry[] = [
    {
      language: documentLanguage(ctx, original),
      documentId: original.id,
      original: true,
      paragraphs: { current: documentText(ctx, original.id).paragraphs.length, outdated: 0, missing: 0 },
    },
  ];
  for (const v of versionsOf(ctx, originalId))
    entries.push({ language: v.language, documentId: v.id, original: false, paragraphs: countStatuses(translationStatuses(ctx, v.id, originalId, false)) });
  return entries;
}

/**
 * The translator (or the secretariat) marks a paragraph of a language version translated
 * against the original's text as it is now: the paragraph becomes current. 404 for a
 * paragraph the version does not have, 409 when its translation is empty. Audited and
 * announced in both documents.
 */
export function markTranslated(tx: CommandTx, user: User, row: DocumentRow, paragraphId: string): ParagraphTranslation {
  authoriseDocument(user, "document.markTranslated", documentFacts(row));
  const originalId = requireVersion(row);
  const paragraph = documentText(tx.ctx, row.id).byId.get(paragraphId);
  if (!paragraph) throw notFound("paragraph");
  const source = documentText(tx.ctx, originalId).byId.get(paragraphId);
  if (!source) throw notFound("paragraph of the original");
  const ref = citation(source);
  if (paragraph.text.trim().length === 0) throw conflict(`${ref} has no translation yet; write it before marking it done`);
  const hash = paragraphTextHash(source.text);
  const now = new Date().toISOString();
  statement(
    tx.db,
    `INSERT INTO translations (document_id, paragraph_id, original_hash, original_text, translated_by, translated_at) VALUES (?, ?, ?, ?, ?, ?)
     ON CONFLICT (document_id, paragraph_id) DO UPDATE SET original_hash = excluded.original_hash, original_text = excluded.original_text,
       translated_by = excluded.translated_by, translated_at = excluded.translated_at`,
  ).run(row.id, paragraphId, hash, source.text, user.id, now);
  tx.audit(auditActor(user), {
    meetingId: row.meeting_id,
    documentId: row.id,
    action: "translation.done",
    targetType: "paragraph",
    targetId: paragraphId,
    details: { language: row.language, ref, originalHash: hash, translationHash: paragraphTextHash(paragraph.text) },
  });
  const result: ParagraphTranslation = { paragraphId, ref, status: "current" };
  for (const id of [row.id, originalId]) tx.publish(documentEvent(id, "translation.changed", { ...result, documentId: row.id, language: documentLanguage(tx.ctx, row) }, user));
  return result;
}

/**
 * What keeps an original from being adopted: every paragraph of a language version that is
 * not current, one reason each ("es: OP3 is outdated"); and every paragraph a version still
 * has that the original no longer has (its follow of the original's structure still to
 * come), as outdated: adopted so, the version would keep it.
 */
export function languageAdoptionBlockers(ctx: AppContext, documentId: string): string[] {
  const reasons: string[] = [];
  const original = documentText(ctx, documentId);
  for (const v of versionsOf(ctx, documentId)) {
    for (const p of translationStatuses(ctx, v.id, documentId, false))
      if (p.status !== "current") {
        const missing = p.status === "missing";
        reasons.push(`${v.language}: ${p.ref} is ${missing ? "not translated" : "outdated"}`);
      }
    for (const p of documentText(ctx, v.id).paragraphs) if (!original.byId.has(p.id)) reasons.push(`${v.language}: ${citation(p)} is outdated`);
  }
  return reasons;
}
