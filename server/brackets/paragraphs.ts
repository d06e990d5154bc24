import * as Y from "yjs";
import {
  blockOfYElement,
  blockText,
  bracketSpans,
  isBlockType,
  readAttributes,
  numberBlocks,
  textFragment,
  type Block,
  type CanonicalParagraph,
} from "../../schema/index.js";
import type { AppContext } from "../context.js";

/**
 * A paragraph as the bracket and status features see it: its canonical form (id, kind,
 * ref, NFC text, bracket spans in NFC offsets) and its position in the document.
 */
export interface ParagraphView extends CanonicalParagraph {
  index: number;
}

/** What a block says, independent of where it stands (number and ref come from the others). */
export type Reading = Omit<CanonicalParagraph, "number" | "ref">;

// Readings of the blocks of live (room) documents, per element, dropped when a transaction
// touches the element: reading a 300-paragraph text with 1,500 brackets from Yjs costs tens
// of milliseconds, re-reading only what changed costs almost nothing.
const readings = new WeakMap<Y.Doc, WeakMap<Y.XmlElement, Reading>>();

function readingsOf(doc: Y.Doc): WeakMap<Y.XmlElement, Reading> {
  let cache = readings.get(doc);
  if (cache) return cache;
  const fresh = new WeakMap<Y.XmlElement, Reading>();
  doc.on("afterTransaction", (tr: Y.Transaction) => {
    for (const type of tr.changed.keys()) {
      // The changed type is the element (attributes), its text, or the fragment (order).
      for (let t: Y.AbstractType<unknown> | null = type as Y.AbstractType<unknown>; t; t = t._item?.parent as Y.AbstractType<unknown> | null) {
        if (t instanceof Y.XmlElement) fresh.delete(t);
      }
    }
  });
  readings.set(doc, fresh);
  return fresh;
}

function read(element: Y.XmlElement): Reading {
  const block = blockOfYElement(element)!;
  return { id: block.id, kind: block.kind, level: block.level, text: blockText(block).normalize("NFC"), brackets: bracketSpans(block) };
}

function shapeOf(element: Y.XmlElement): Pick<Block, "kind" | "level"> {
  return readAttributes(element.nodeName as Block["type"], element.getAttributes() as Record<string, unknown>);
}

function blockElements(fragment: Y.XmlFragment): Y.XmlElement[] {
  return fragment.toArray().filter((c): c is Y.XmlElement => c instanceof Y.XmlElement && isBlockType(c.nodeName));
}

/**
 * Every block of a Yjs text, by id, in document order. With `cache` (a live room's doc),
 * blocks untouched since the last call are not read again.
 */
export function paragraphsOfFragment(fragment: Y.XmlFragment, cache?: WeakMap<Y.XmlElement, Reading>): Map<string, ParagraphView> {
  const elements = blockElements(fragment);
  const numbers = numberBlocks(elements.map(shapeOf));
  const views = new Map<string, ParagraphView>();
  elements.forEach((element, index) => {
    let reading = cache?.get(element);
    if (!reading) {
      reading = read(element);
      cache?.set(element, reading);
    }
    views.set(reading.id, { ...reading, number: numbers[index]!.number, ref: numbers[index]!.ref, index });
  });
  return views;
}

/** Every block of a document's current text, by id: from its live room if open, else from the store. */
export function documentParagraphs(ctx: AppContext, documentId: string): Map<string, ParagraphView> {
  const room = ctx.rooms.get(documentId);
  if (room) return paragraphsOfFragment(room.fragment, readingsOf(room.doc));
  const { doc } = ctx.texts.load(documentId);
  try {
    return paragraphsOfFragment(textFragment(doc));
  } finally {
    doc.destroy();
  }
}

/**
 * What one block of a live room's text says (no number or ref, which would need every
 * other block's shape): the cheap read for reactions that run on every keystroke.
 */
export function roomParagraphReading(doc: Y.Doc, fragment: Y.XmlFragment, id: string): Reading | null {
  for (const child of fragment.toArray()) {
    if (!(child instanceof Y.XmlElement) || child.getAttribute("id") !== id || !isBlockType(child.nodeName)) continue;
    const cache = readingsOf(doc);
    let reading = cache.get(child);
    if (!reading) cache.set(child, (reading = read(child)));
    return reading;
  }
  return null;
}

/**
 * One block of a live Yjs text, without reading the text of the others (numbering needs
 * only their kinds and levels): what a command needs to describe the bracket it changed.
 */
export function paragraphOfFragment(fragment: Y.XmlFragment, id: string): ParagraphView | null {
  const elements = blockElements(fragment);
  const index = elements.findIndex((e) => e.getAttribute("id") === id);
  if (index < 0) return null;
  const number = numberBlocks(elements.map(shapeOf))[index]!;
  return { ...read(elements[index]!), number: number.number, ref: number.ref, index };
}

/** One block of a document, from its live room when open, else from the store. */
export function documentParagraph(ctx: AppContext, documentId: string, id: string): ParagraphView | null {
  const room = ctx.rooms.get(documentId);
  if (room) return paragraphOfFragment(room.fragment, id);
  const { doc } = ctx.texts.load(documentId);
  try {
    return paragraphOfFragment(textFragment(doc), id);
  } finally {
    doc.destroy();
  }
}

/** How a paragraph is cited in messages: its ref (OP3) or, for unnumbered blocks, its kind. */
export function citation(view: Pick<ParagraphView, "ref" | "kind"> | null, storedRef: string | null = null): string {
  return view?.ref ?? storedRef ?? view?.kind ?? "a deleted paragraph";
}
