import type { CanonicalDocument } from "../../schema/index.js";
import { newId } from "../../schema/ids.js";
import { auditActor, type AuditActor } from "../audit/audit.js";
import type { User } from "../auth/users.js";
import { authoriseDocument } from "../auth/policy.js";
import type { CommandTx } from "../commands/command.js";
import type { AppContext } from "../context.js";
import { documentEvent } from "../events/events.js";
import { documentContent, documentRow, documentState, documentFacts } from "../documents/documents.js";
import { notFound } from "../http/errors.js";
import type { VersionDetail, VersionInfo, VersionReason } from "../../schema/api/versions.js";

interface VersionRow {
  id: string;
  document_id: string;
  number: number;
  label: string;
  symbol: string;
  reason: VersionReason;
  state: string;
  hash: string;
  canonical: string;
  ydoc: Buffer;
  created_by: string | null;
  created_at: string;
}

const toInfo = (r: VersionRow): VersionInfo => ({
  id: r.id,
  documentId: r.document_id,
  number: r.number,
  label: r.label,
  symbol: r.symbol,
  reason: r.reason,
  state: r.state,
  hash: r.hash,
  createdBy: r.created_by,
  createdAt: r.created_at,
});

const REVISION = /\s+rev\.\s*(\d+)$/;

/** A symbol without its revision suffix: `RTP-II/doc.5/09 rev. 2` → `RTP-II/doc.5/09`. */
export function baseSymbol(symbol: string): string {
  return symbol.replace(REVISION, "");
}

/** The revision number in a symbol (0 when it has none). */
export function revisionOf(symbol: string): number {
  const m = REVISION.exec(symbol);
  return m ? Number(m[1]) : 0;
}

/**
 * Stores an immutable version of a document's current text: its Yjs state, canonical
 * JSON and hash. When the text differs from the previous version's, the revision goes up
 * (`rev. n`) and the document takes the new symbol. Audited and announced.
 */
export function createVersion(
  tx: CommandTx,
  who: AuditActor & { id: string | null },
  documentId: string,
  input: { label: string; reason: VersionReason },
): VersionInfo {
  const doc = documentRow(tx.ctx, documentId);
  if (!doc) throw notFound("document");
  const state = documentState(tx.ctx, documentId);
  const { canonical, hash } = documentContent(tx.ctx, documentId);
  const last = tx.db
    .prepare("SELECT number, hash, symbol FROM versions WHERE document_id = ? ORDER BY number DESC LIMIT 1")
    .get(documentId) as { number: number; hash: string; symbol: string } | undefined;
  let symbol = doc.symbol;
  if (last && last.hash !== hash) {
    symbol = `${baseSymbol(doc.symbol)} rev. ${Math.max(revisionOf(doc.symbol), revisionOf(last.symbol)) + 1}`;
    tx.db.prepare("UPDATE documents SET symbol = ?, updated_at = ? WHERE id = ?").run(symbol, new Date().toISOString(), documentId);
  }
  const row: VersionRow = {
    id: newId("v"),
    document_id: documentId,
    number: (last?.number ?? 0) + 1,
    label: input.label,
    symbol,
    reason: input.reason,
    state: doc.state,
    hash,
    canonical: JSON.stringify(canonical),
    ydoc: Buffer.from(state),
    created_by: who.id,
    created_at: new Date().toISOString(),
  };
  tx.db
    .prepare(
      `INSERT INTO versions (id, document_id, number, label, symbol, reason, state, ydoc, canonical, hash, created_by, created_at)
       VALUES (@id, @document_id, @number, @label, @symbol, @reason, @state, @ydoc, @canonical, @hash, @created_by, @created_at)`,
    )
    .run(row);
  const info = toInfo(row);
  tx.audit(who, {
    meetingId: doc.meeting_id,
    documentId,
    action: "version.created",
    targetType: "version",
    targetId: row.id,
    details: { label: row.label, number: row.number, symbol, hash, reason: row.reason, state: row.state },
  });
  tx.publish(documentEvent(documentId, "version.created", info, who));
  return info;
}

/** A document's versions, oldest first. */
export function listVersions(ctx: Pick<AppContext, "db">, documentId: string): VersionInfo[] {
  return (ctx.db.prepare("SELECT * FROM versions WHERE document_id = ? ORDER BY number").all(documentId) as VersionRow[]).map(toInfo);
}

/** One version with its canonical form, or 404. */
export function getVersion(ctx: Pick<AppContext, "db">, documentId: string, versionId: string): VersionDetail {
  const row = ctx.db.prepare("SELECT * FROM versions WHERE id = ? AND document_id = ?").get(versionId, documentId) as VersionRow | undefined;
  if (!row) throw notFound("version");
  return { ...toInfo(row), canonical: JSON.parse(row.canonical) as CanonicalDocument };
}

/** The stored Yjs state of a version (to open it read-only). */
export function versionState(ctx: Pick<AppContext, "db">, documentId: string, versionId: string): Uint8Array {
  const row = ctx.db.prepare("SELECT ydoc FROM versions WHERE id = ? AND document_id = ?").get(versionId, documentId) as
    | { ydoc: Buffer }
    | undefined;
  if (!row) throw notFound("version");
  return new Uint8Array(row.ydoc);
}

/** A member saves a named version (Rev.1…) of a document: the secretariat or the chair of its body, per the policy. */
export function saveNamedVersion(tx: CommandTx, user: User, documentId: string, label: string): VersionInfo {
  const doc = documentRow(tx.ctx, documentId);
  if (!doc || doc.meeting_id !== user.meetingId) throw notFound("document");
  authoriseDocument(user, "document.saveVersion", documentFacts(doc));
  return createVersion(tx, auditActor(user), documentId, { label, reason: "named" });
}
