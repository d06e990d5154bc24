import * as Y from "yjs";
import { isBlockType, readAttributes, textFragment, type Block } from "../../schema/index.js";
import { auditActor } from "../audit/audit.js";
import { authoriseDocument } from "../auth/policy.js";
import type { User } from "../auth/users.js";
import type { CommandTx } from "../commands/command.js";
import type { AppContext } from "../context.js";
import { createDocument, documentFacts, documentInfo, documentLanguage, documentRow, type DocumentRow } from "../documents/documents.js";
import type { DocumentSummary } from "../../schema/api/documents.js";
import { documentText } from "../documents/paragraphs.js";
import { documentEvent } from "../events/events.js";
import { badRequest, conflict } from "../http/errors.js";
import { meetingInfo, meetingRow } from "../meetings/meetings.js";
import { statement } from "../store/statements.js";

/** A language version as its original knows it. */
export interface VersionRef {
  id: string;
  language: string;
}

// The language versions of each original, read once per database and kept: a version is
// never moved to another original, and creating one clears the entry (`forgetVersions`).
const known = new WeakMap<AppContext["db"], Map<string, VersionRef[]>>();

/** The language versions of `originalId` (none for a language version or an unknown id), by language. */
export function versionsOf(ctx: Pick<AppContext, "db">, originalId: string): readonly VersionRef[] {
  let perDb = known.get(ctx.db);
  if (!perDb) known.set(ctx.db, (perDb = new Map()));
  let versions = perDb.get(originalId);
  if (!versions) {
    // Read on every accepted keystroke (a flush's reactions run in its transaction, where
    // nothing is cached): the statement is prepared once, not per update.
    versions = statement(ctx.db, "SELECT id, language FROM documents WHERE original_id = ? ORDER BY language").all(originalId) as VersionRef[];
    // Inside a transaction the rows may still be rolled back: only committed ones are kept.
    if (!ctx.db.inTransaction) perDb.set(originalId, versions);
  }
  return versions;
}

/**
 * `versionsOf` for several originals in one statement (a map by original; one without
 * versions is left out): a flush's reactions ask it for every document the flush touches.
 */
export function versionsOfEach(ctx: Pick<AppContext, "db">, originalIds: readonly string[]): Map<string, readonly VersionRef[]> {
  const perDb = known.get(ctx.db);
  const found = new Map<string, VersionRef[]>();
  const unknown: string[] = [];
  for (const id of originalIds) {
    const versions = perDb?.get(id);
    if (versions === undefined) unknown.push(id);
    else if (versions.length > 0) found.set(id, versions);
  }
  if (unknown.length === 0) return found;
  if (unknown.length === 1) {
    const versions = versionsOf(ctx, unknown[0]!);
    if (versions.length > 0) found.set(unknown[0]!, versions as VersionRef[]);
    return found;
  }
  const rows = statement(
    ctx.db,
    "SELECT original_id AS originalId, id, language FROM documents WHERE original_id IN (SELECT value FROM json_each(?)) ORDER BY language",
  ).all(JSON.stringify(unknown)) as Array<VersionRef & { originalId: string }>;
  for (const { originalId, id, language } of rows) {
    let versions = found.get(originalId);
    if (!versions) found.set(originalId, (versions = []));
    versions.push({ id, language });
  }
  // Outside a transaction they are committed, and kept as `versionsOf` keeps them.
  if (!ctx.db.inTransaction) {
    let kept = perDb;
    if (!kept) known.set(ctx.db, (kept = new Map()));
    for (const id of unknown) kept.set(id, found.get(id) ?? []);
  }
  return found;
}

function forgetVersions(ctx: Pick<AppContext, "db">, originalId: string): void {
  known.get(ctx.db)?.delete(originalId);
}

/** The original of a language version, or null for an original (or an unknown id). */
export function originalOf(ctx: Pick<AppContext, "db">, documentId: string): string | null {
  return (ctx.db.prepare("SELECT original_id FROM documents WHERE id = ?").pluck().get(documentId) as string | null | undefined) ?? null;
}

/**
 * The blocks of the original as a new language version starts them: the same ids, types,
 * kinds, levels and numbering rules, and no text (every paragraph missing).
 */
export function emptyBlocksOf(ctx: AppContext, originalId: string): Block[] {
  return documentText(ctx, originalId).blocks.map((b) => ({ id: b.id, type: b.type, kind: b.kind, level: b.level, ...(b.numbering ? { numbering: b.numbering } : {}), runs: [] }));
}

/**
 * The secretariat adds a language version of a document: a document of its own, in one of
 * the meeting's languages that the document does not have yet, whose paragraphs carry the
 * original's ids, all empty. It is in the original's state from the start. Audited.
 */
export function createLanguageVersion(tx: CommandTx, user: User, original: DocumentRow, language: string): DocumentSummary {
  authoriseDocument(user, "document.addLanguage", documentFacts(original));
  if (original.original_id) throw badRequest("this is a language version; add languages to its original", [`the original is document ${original.original_id}`]);
  const meeting = meetingInfo(meetingRow(tx.db, original.meeting_id));
  if (!meeting.languages.includes(language))
    throw badRequest(`the meeting has no language "${language}"`, [`the meeting works in ${meeting.languages.join(", ")}`]);
  const own = documentLanguage(tx.ctx, original);
  if (own === language) throw conflict(`the document is written in ${language}; it is its own ${language} text`);
  if (versionsOf(tx.ctx, original.id).some((v) => v.language === language)) throw conflict(`the document already has a ${language} version`);
  const id = createDocument(tx, auditActor(user), {
    meetingId: original.meeting_id,
    bodyId: original.body_id,
    kind: original.kind,
    title: original.title,
    symbol: original.symbol,
    blocks: emptyBlocksOf(tx.ctx, original.id),
    state: original.state,
    language,
    originalId: original.id,
  });
  forgetVersions(tx.ctx, original.id);
  tx.afterCommit(() => forgetVersions(tx.ctx, original.id));
  const info = documentInfo(documentRow(tx.ctx, id)!);
  tx.publish(documentEvent(original.id, "language.added", { language, documentId: id }, user));
  return info;
}

/** Block ids, types and attributes of a live fragment: the structure a language version follows. */
export interface StructureBlock {
  id: string;
  type: Block["type"];
  kind: Block["kind"];
  level: number;
  /** The block's numbering rule when not the default (a section heading, an unnumbered paragraph). */
  numbering?: string;
}

/** The block structure of a fragment, in order. */
export function structureOf(fragment: Y.XmlFragment): StructureBlock[] {
  const out: StructureBlock[] = [];
  for (const child of fragment.toArray()) {
    if (!(child instanceof Y.XmlElement) || !isBlockType(child.nodeName)) continue;
    const attrs = child.getAttributes() as Record<string, unknown>;
    out.push({ id: String(attrs.id ?? ""), type: child.nodeName, ...readAttributes(child.nodeName, attrs) });
  }
  return out;
}

/** The structure of a document's text (its room's if open). */
export function documentStructure(ctx: AppContext, documentId: string): StructureBlock[] {
  const room = ctx.rooms.get(documentId);
  if (room) return structureOf(textFragment(room.doc));
  return documentText(ctx, documentId).blocks.map((b) => ({ id: b.id, type: b.type, kind: b.kind, level: b.level, ...(b.numbering ? { numbering: b.numbering } : {}) }));
}

/** 400 unless `row` is a language version; returns its original's id. */
export function requireVersion(row: DocumentRow): string {
  if (!row.original_id) throw badRequest("this document is an original; ask one of its language versions", ["GET /api/documents/:id/languages lists them"]);
  return row.original_id;
}
