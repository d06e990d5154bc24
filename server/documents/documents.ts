import * as Y from "yjs";
import {
  insertBlocks,
  textFragment,
  type Block,
  type DocumentKind,
  type DocumentState,
} from "../../schema/index.js";
import type { DocumentFacts } from "../../schema/roles.js";
import { newId } from "../../schema/ids.js";
import type { AuditActor } from "../audit/audit.js";
import type { User } from "../auth/users.js";
import type { CommandTx } from "../commands/command.js";
import type { AppContext } from "../context.js";
import { notFound, tooLarge } from "../http/errors.js";
import { documentLimitProblem } from "./limits.js";
import type { DocumentContent, DocumentSummary } from "../../schema/api/documents.js";
import { documentText, textOfDoc } from "./paragraphs.js";
import { freezeNumbersOnce } from "./freeze.js";

/** A document's row in the store. */
export interface DocumentRow {
  id: string;
  meeting_id: string;
  body_id: string;
  kind: DocumentKind;
  title: string;
  symbol: string;
  state: DocumentState;
  language: string | null;
  original_id: string | null;
  created_at: string;
  updated_at: string;
  quarantined_at: string | null;
  quarantine_reason: string | null;
}

/** A document row as the API lists it. */
export function documentInfo(row: DocumentRow): DocumentSummary {
  return {
    id: row.id,
    meetingId: row.meeting_id,
    bodyId: row.body_id,
    kind: row.kind,
    title: row.title,
    symbol: row.symbol,
    state: row.state,
    language: row.language,
    originalId: row.original_id ?? null,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    quarantine: row.quarantined_at ? { since: row.quarantined_at, reason: row.quarantine_reason ?? "its stored text is damaged" } : null,
  };
}

/** The facts permissions depend on (schema/roles.ts), from a document's row. */
export function documentFacts(row: DocumentRow): DocumentFacts {
  return { state: row.state, bodyId: row.body_id, kind: row.kind, language: row.language, originalId: row.original_id ?? null };
}

/** The row of a document, or null. */
export function documentRow(ctx: Pick<AppContext, "db">, id: string): DocumentRow | null {
  return (ctx.db.prepare("SELECT * FROM documents WHERE id = ?").get(id) as DocumentRow | undefined) ?? null;
}

/**
 * The document with `id` if it belongs to the meeting `user` is a member of (the member
 * resolved for the document's meeting); 404 otherwise, so that ids of other meetings'
 * documents are not even confirmed to exist.
 */
export function documentForUser(ctx: Pick<AppContext, "db">, user: User, id: string): DocumentRow {
  const row = documentRow(ctx, id);
  if (!row || row.meeting_id !== user.meetingId) throw notFound("document");
  return row;
}

/** What a new document is made of. */
export interface NewDocument {
  meetingId: string;
  bodyId: string;
  kind: DocumentKind;
  title: string;
  symbol: string;
  blocks: readonly Block[];
  state?: DocumentState;
  /** The original language (default: none recorded, i.e. the meeting's first). */
  language?: string;
  /** For a language version: the document it is a version of. */
  originalId?: string;
}

/** Creates a document with its initial text, audited (and its numbers frozen when it is made past the draft). Returns its id. */
export function createDocument(tx: CommandTx, who: AuditActor, input: NewDocument): string {
  const id = newId("d");
  const now = new Date().toISOString();
  tx.db
    .prepare(
      `INSERT INTO documents (id, meeting_id, body_id, kind, title, symbol, state, language, original_id, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    )
    .run(id, input.meetingId, input.bodyId, input.kind, input.title, input.symbol, input.state ?? "draft", input.language ?? null, input.originalId ?? null, now, now);
  const doc = new Y.Doc();
  doc.transact(() => insertBlocks(textFragment(doc), 0, input.blocks));
  const limit = documentLimitProblem(tx.ctx.config, Y.encodeStateAsUpdate(doc).length, input.blocks.length);
  if (limit !== null) {
    doc.destroy();
    throw tooLarge(limit);
  }
  tx.ctx.texts.create(id, doc);
  const hash = textOfDoc(doc).hash;
  doc.destroy();
  tx.audit(who, {
    meetingId: input.meetingId,
    documentId: id,
    action: "document.created",
    targetType: "document",
    targetId: id,
    details: { kind: input.kind, title: input.title, symbol: input.symbol, bodyId: input.bodyId, hash, ...(input.originalId ? { originalId: input.originalId, language: input.language } : {}) },
  });
  // A document made past the draft (the demo's, under negotiation) has its numbers frozen from the start.
  // A language version is numbered as its original and freezes nothing of its own.
  if ((input.state ?? "draft") !== "draft" && !input.originalId) freezeNumbersOnce(tx, who, id);
  return id;
}

/** The current Yjs state of a document (for versions). */
export function documentState(ctx: AppContext, documentId: string): Uint8Array {
  const room = ctx.rooms.get(documentId);
  if (room) return Y.encodeStateAsUpdate(room.doc);
  const { doc } = ctx.texts.load(documentId);
  const state = Y.encodeStateAsUpdate(doc);
  doc.destroy();
  return state;
}

/** The canonical form of a document's current text and its hash (cached per text version). */
export function documentContent(ctx: AppContext, documentId: string): DocumentContent {
  const text = documentText(ctx, documentId);
  return { canonical: text.canonical, hash: text.hash };
}

/** The language of a document's text: its own, or else the first of its meeting's. */
export function documentLanguage(ctx: Pick<AppContext, "db">, doc: DocumentRow): string {
  if (typeof doc.language === "string" && doc.language.length > 0) return doc.language;
  const languages = ctx.db.prepare("SELECT languages FROM meetings WHERE id = ?").pluck().get(doc.meeting_id) as string | undefined;
  try {
    const first = (JSON.parse(languages ?? "[]") as unknown[])[0];
    return typeof first === "string" && first.length > 0 ? first : "en";
  } catch {
    return "en";
  }
}
