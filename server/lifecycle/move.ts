import type { TransitionRule } from "../../schema/lifecycle.js";
import type { AuditActor } from "../audit/audit.js";
import type { CommandTx } from "../commands/command.js";
import { documentInfo, documentRow, type DocumentRow } from "../documents/documents.js";
import type { DocumentSummary } from "../../schema/api/documents.js";
import { documentEvent } from "../events/events.js";
import { notFound } from "../http/errors.js";
import { createVersion } from "../versions/versions.js";
import type { VersionInfo } from "../../schema/api/versions.js";
import { freezeNumbersOnce } from "../documents/freeze.js";

/** A language version's text as stored by its original's transition (each text is authentic). */
export interface MovedLanguageVersion {
  language: string;
  documentId: string;
  versionId: string;
  hash: string;
}

/** A document after a transition, and the version stored by it. */
export interface Moved {
  document: DocumentSummary;
  version: VersionInfo;
  /** Its language versions, moved with it, and the version stored of each. */
  languageVersions: MovedLanguageVersion[];
}

/**
 * Carries out a transition that has been checked: sets the state, freezes the numbers when
 * the document leaves the draft, stores the version the
 * rule names (the version records the new state), audits before/after, announces
 * `document.transitioned` and switches open connections' write access after the commit.
 */
export function moveDocument(
  tx: CommandTx,
  who: AuditActor,
  doc: DocumentRow,
  rule: TransitionRule,
  reason: string | null,
  details: Record<string, unknown> = {},
): Moved {
  tx.db.prepare("UPDATE documents SET state = ?, updated_at = ? WHERE id = ?").run(rule.to, new Date().toISOString(), doc.id);
  // Leaving the draft freezes the numbers (stable numbering); the version stored next records them.
  if (doc.state === "draft" && rule.to !== "withdrawn") freezeNumbersOnce(tx, who, doc.id);
  const version = createVersion(tx, who, doc.id, { label: rule.versionLabel, reason: "transition" });
  const languageVersions = moveLanguageVersions(tx, who, doc, rule);
  const after = documentRow(tx.ctx, doc.id);
  if (!after) throw notFound("document");
  tx.audit(who, {
    meetingId: doc.meeting_id,
    documentId: doc.id,
    action: "document.transitioned",
    targetType: "document",
    targetId: doc.id,
    details: {
      transition: rule.name,
      from: doc.state,
      to: rule.to,
      reason,
      before: { state: doc.state, symbol: doc.symbol },
      after: { state: after.state, symbol: after.symbol },
      versionId: version.id,
      hash: version.hash,
      ...(languageVersions.length > 0 ? { languageVersions } : {}),
      ...details,
    },
  });
  const document = documentInfo(after);
  const actor = who.username && who.role ? { username: who.username, delegation: who.delegation, role: who.role } : null;
  tx.publish(documentEvent(doc.id, "document.transitioned", { ...document, transition: { name: rule.name, from: doc.state, to: rule.to, reason, versionId: version.id, ...details } }, actor));
  tx.documentStateChanged(doc.id);
  return { document, version, languageVersions };
}

/**
 * A language version moves with its original: the same state, and a version of its text
 * stored by the same transition, so that the adopted record holds the hash of every
 * authentic text.
 */
function moveLanguageVersions(tx: CommandTx, who: AuditActor, doc: DocumentRow, rule: TransitionRule): MovedLanguageVersion[] {
  const versions = tx.db.prepare("SELECT id, language FROM documents WHERE original_id = ? ORDER BY language").all(doc.id) as Array<{ id: string; language: string }>;
  const setState = tx.db.prepare("UPDATE documents SET state = ?, updated_at = ? WHERE id = ?");
  return versions.map((v) => {
    setState.run(rule.to, new Date().toISOString(), v.id);
    const stored = createVersion(tx, who, v.id, { label: rule.versionLabel, reason: "transition" });
    tx.documentStateChanged(v.id);
    return { language: v.language, documentId: v.id, versionId: stored.id, hash: stored.hash };
  });
}
