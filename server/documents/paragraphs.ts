import * as Y from "yjs";
import {
  blockOfYElement,
  blockText,
  bracketSpans,
  canonicalFormatOf,
  canonicalHash,
  canonicalParagraph,
  isBlockType,
  numberBlocks,
  type FrozenLabels,
  textFragment,
  type Block,
  type CanonicalBracket,
  type CanonicalDocument,
  type CanonicalParagraph,
} from "../../schema/index.js";
import type { AppContext } from "../context.js";
import type { Room } from "../collab/room.js";
import { frozenLabels } from "./numbers.js";

/**
 * A block of a document's text as every feature reads it: its canonical form (id, kind,
 * level, number, ref, NFC text, bracket spans in NFC offsets), its position, and the block
 * itself (type and runs with their marks).
 */
export interface Paragraph extends CanonicalParagraph {
  /** Position among the document's blocks, from 0. */
  index: number;
  /** The block as stored: type, attributes, runs with marks (text not normalised). */
  block: Block;
}

/**
 * One version of a document's text, read once and shared by every reader until the text
 * changes: amendments, brackets, status, consolidation, exports and compare all read it
 * here. Immutable: a change of the text makes a new one, so an object can stand for its
 * version (a cache keyed by it is a cache per text version).
 */
export interface DocumentText {
  /** Every block in document order. */
  readonly paragraphs: readonly Paragraph[];
  /** The same blocks by id. */
  readonly byId: ReadonlyMap<string, Paragraph>;
  /** The blocks as stored, in order. */
  readonly blocks: readonly Block[];
  /** The canonical form (computed on first use, then kept with this version). */
  readonly canonical: CanonicalDocument;
  /** SHA-256 of the canonical form (computed on first use, then kept). */
  readonly hash: string;
  /** The frozen labels it was numbered with (empty for a draft's text). */
  readonly frozen: FrozenLabels;
}

/** What one block says, independent of where it stands (number and ref come from the others). */
export interface BlockReading {
  block: Block;
  /** NFC text. */
  text: string;
  brackets: CanonicalBracket[];
}

function readBlock(block: Block): BlockReading {
  return { block, text: blockText(block).normalize("NFC"), brackets: bracketSpans(block) };
}

const NOT_FROZEN: FrozenLabels = new Map();

class TextVersion implements DocumentText {
  readonly paragraphs: readonly Paragraph[];
  readonly byId: ReadonlyMap<string, Paragraph>;
  private canonicalForm: CanonicalDocument | null = null;
  private canonicalHash: string | null = null;

  constructor(
    readings: readonly BlockReading[],
    readonly frozen: FrozenLabels = NOT_FROZEN,
  ) {
    const numbers = numberBlocks(
      readings.map((r) => r.block),
      frozen,
    );
    const byId = new Map<string, Paragraph>();
    this.paragraphs = readings.map(({ block, text, brackets }, index) => {
      const paragraph: Paragraph = { id: block.id, kind: block.kind, level: block.level, number: numbers[index]!.number, ref: numbers[index]!.ref, text, brackets, index, block };
      byId.set(block.id, paragraph);
      return paragraph;
    });
    this.byId = byId;
  }

  get blocks(): readonly Block[] {
    return this.paragraphs.map((p) => p.block);
  }

  get canonical(): CanonicalDocument {
    if (!this.canonicalForm) {
      // Exactly the canonical paragraph's keys: the form is hashed as it stands.
      const format = canonicalFormatOf(this.blocks, this.paragraphs);
      this.canonicalForm = { format, paragraphs: this.paragraphs.map((p) => canonicalParagraph(format, p.block, p, p.text, p.brackets)) };
    }
    return this.canonicalForm;
  }

  get hash(): string {
    this.canonicalHash ??= canonicalHash(this.canonical);
    return this.canonicalHash;
  }
}

/** The text of a Y.Doc read once, without caching (a version, a detached copy), numbered with `frozen` labels when given. */
export function textOfDoc(doc: Y.Doc, frozen?: FrozenLabels): DocumentText {
  return new TextVersion(
    blockElements(textFragment(doc)).map((e) => readBlock(blockOfYElement(e)!)),
    frozen,
  );
}

function blockElements(fragment: Y.XmlFragment): Y.XmlElement[] {
  return fragment.toArray().filter((c): c is Y.XmlElement => c instanceof Y.XmlElement && isBlockType(c.nodeName));
}

// Live documents (a room's Y.Doc): the text is kept until the doc's next transaction, and
// each block's reading until a transaction touches that block, so that after one keystroke
// only the block typed in is read again (reading 300 paragraphs with 1,500 brackets from
// Yjs costs tens of milliseconds; re-reading one, almost nothing).
interface LiveCache {
  text: DocumentText | null;
  readings: WeakMap<Y.XmlElement, BlockReading>;
}
const live = new WeakMap<Y.Doc, LiveCache>();

function liveCache(doc: Y.Doc): LiveCache {
  const cache = live.get(doc);
  if (cache) return cache;
  const fresh: LiveCache = { text: null, readings: new WeakMap() };
  // afterTransaction, not "update": an "update" listener makes Yjs encode every transaction.
  doc.on("afterTransaction", (tr: Y.Transaction) => {
    fresh.text = null;
    for (const type of tr.changed.keys()) {
      // The changed type is the element (attributes), its text, or the fragment (order).
      for (let t: Y.AbstractType<unknown> | null = type as Y.AbstractType<unknown>; t; t = t._item?.parent as Y.AbstractType<unknown> | null) {
        if (t instanceof Y.XmlElement) fresh.readings.delete(t);
      }
    }
  });
  live.set(doc, fresh);
  return fresh;
}

function liveReading(cache: LiveCache, element: Y.XmlElement): BlockReading {
  let reading = cache.readings.get(element);
  if (!reading) cache.readings.set(element, (reading = readBlock(blockOfYElement(element)!)));
  return reading;
}

function liveText(doc: Y.Doc, frozen: FrozenLabels): DocumentText {
  const cache = liveCache(doc);
  if (cache.text?.frozen !== frozen)
    cache.text = new TextVersion(
      blockElements(textFragment(doc)).map((e) => liveReading(cache, e)),
      frozen,
    );
  return cache.text;
}

// Stored documents: by (snapshot, last logged update), which only a write of the text
// changes; the most recently read few are kept, as a long document's text is large.
const STORED_KEPT = 16;
const stored = new WeakMap<AppContext["db"], Map<string, { key: string; text: DocumentText }>>();

function storedText(ctx: AppContext, documentId: string, frozen: FrozenLabels): DocumentText {
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
  if (hit && hit.key === key && hit.text.frozen === frozen) {
    // Most recently used last.
    perDb.delete(documentId);
    perDb.set(documentId, hit);
    return hit.text;
  }
  const { doc } = ctx.texts.load(documentId);
  let text: DocumentText;
  try {
    text = textOfDoc(doc, frozen);
  } finally {
    doc.destroy();
  }
  // Inside a transaction the log may hold rows a rollback takes back (and whose numbers
  // come again): only committed text is kept.
  if (!ctx.db.inTransaction) {
    perDb.delete(documentId);
    perDb.set(documentId, { key, text });
    if (perDb.size > STORED_KEPT) perDb.delete(perDb.keys().next().value!);
  }
  return text;
}

/**
 * A document's text as it is now: its live room's if open, else the store's, numbered with
 * its frozen labels once it is under negotiation. Cached per text version and numbering:
 * reading it again before either changes costs nothing.
 */
export function documentText(ctx: AppContext, documentId: string): DocumentText {
  const room = ctx.rooms.get(documentId);
  const frozen = frozenLabels(ctx, documentId);
  return room ? liveText(room.doc, frozen) : storedText(ctx, documentId, frozen);
}

/** One block of a document now, or null. */
export function documentParagraph(ctx: AppContext, documentId: string, paragraphId: string): Paragraph | null {
  return documentText(ctx, documentId).byId.get(paragraphId) ?? null;
}

/**
 * What one block of a live room's text says, without numbering the others: the cheap read
 * for reactions that run on every keystroke. Null when the room has no such block.
 */
export function liveBlockReading(room: Pick<Room, "doc" | "fragment">, paragraphId: string): BlockReading | null {
  const cache = liveCache(room.doc);
  const known = cache.text?.byId.get(paragraphId);
  if (known) return known;
  for (const child of room.fragment.toArray()) {
    if (child instanceof Y.XmlElement && child.getAttribute("id") === paragraphId && isBlockType(child.nodeName)) return liveReading(cache, child);
  }
  return null;
}

const KIND_NAMES: Partial<Record<string, string>> = { chapeau: "lead-in", heading: "heading" };

/**
 * How a paragraph is cited in messages: its ref (OP3); for a lead-in or a heading, which
 * have none, its kind and the start of its text (`lead-in "RESOLVES:"`) when the text is
 * at hand; else its kind.
 */
export function citation(paragraph: (Pick<Paragraph, "ref" | "kind"> & { text?: string }) | null, storedRef: string | null = null): string {
  if (paragraph?.ref) return paragraph.ref;
  if (storedRef) return storedRef;
  if (!paragraph) return "a deleted paragraph";
  const name = KIND_NAMES[paragraph.kind];
  if (!name || paragraph.text === undefined) return paragraph.kind;
  const text = paragraph.text.length > 40 ? `${paragraph.text.slice(0, 39)}…` : paragraph.text;
  return `${name} ${JSON.stringify(text)}`;
}
