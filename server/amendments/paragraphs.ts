import type * as Y from "yjs";
import { blockText, blocksOfDoc, numberBlocks, type Block } from "../../schema/index.js";
import type { AppContext } from "../context.js";
import { documentBlocks } from "../documents/documents.js";
import type { Db } from "../store/db.js";

/** A paragraph as it stands now, with its citation. */
export interface TargetParagraph {
  block: Block;
  index: number;
  ref: string | null;
  /** NFC text. */
  text: string;
}

/** A document's paragraphs by id (read-only: the map may be shared by later calls). */
export type ParagraphsById = ReadonlyMap<string, TargetParagraph>;

/** Paragraphs of a sequence of blocks by id, with citations, from one pass. */
export function paragraphsById(blocks: readonly Block[]): Map<string, TargetParagraph> {
  const numbers = numberBlocks(blocks);
  const byId = new Map<string, TargetParagraph>();
  blocks.forEach((block, index) => byId.set(block.id, { block, index, ref: numbers[index]!.ref, text: blockText(block).normalize("NFC") }));
  return byId;
}

// Every listing, diff and check reads the current paragraphs; rebuilding them means decoding
// the stored Yjs state (tens of ms for a long document). Live documents are cached per Y.Doc
// until its next update; stored ones per (snapshot, last logged update), which only a write
// of the text changes.
const live = new WeakMap<Y.Doc, Map<string, TargetParagraph> | null>();
const stored = new WeakMap<Db, Map<string, { key: string; paragraphs: Map<string, TargetParagraph> }>>();

/** The paragraphs of a document as they are now (live text if open, else the store), cached. */
export function currentParagraphs(ctx: AppContext, documentId: string): ParagraphsById {
  const room = ctx.rooms.get(documentId);
  if (room) {
    const doc = room.doc;
    let cached = live.get(doc);
    // afterTransaction, not "update": an "update" listener makes Yjs encode every transaction.
    if (cached === undefined) doc.on("afterTransaction", () => live.set(doc, null));
    if (!cached) {
      cached = paragraphsById(blocksOfDoc(doc));
      live.set(doc, cached);
    }
    return cached;
  }
  const versions = ctx.db
    .prepare(
      `SELECT (SELECT last_seq FROM document_snapshots WHERE document_id = @id) AS snapshot,
              (SELECT MAX(seq) FROM document_updates WHERE document_id = @id) AS logged`,
    )
    .get({ id: documentId }) as { snapshot: number | null; logged: number | null };
  const key = `${versions.snapshot}:${versions.logged}`;
  let perDb = stored.get(ctx.db);
  if (!perDb) stored.set(ctx.db, (perDb = new Map()));
  const hit = perDb.get(documentId);
  if (hit && hit.key === key) return hit.paragraphs;
  const paragraphs = paragraphsById(documentBlocks(ctx, documentId));
  perDb.set(documentId, { key, paragraphs });
  return paragraphs;
}

/** The paragraph `paragraphId` of a document now, or null. */
export function targetParagraph(ctx: AppContext, documentId: string, paragraphId: string): TargetParagraph | null {
  return currentParagraphs(ctx, documentId).get(paragraphId) ?? null;
}
