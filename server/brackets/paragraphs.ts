import * as Y from "yjs";
import {
  blockOfYElement,
  blockText,
  bracketSpans,
  canonicalize,
  isBlockType,
  kindOf,
  numberBlocks,
  textFragment,
  type Block,
  type CanonicalParagraph,
} from "../../schema/index.js";
import type { AppContext } from "../context.js";
import { documentBlocks } from "../documents/documents.js";

/**
 * A paragraph as the bracket and status features see it: its canonical form (id, kind,
 * ref, NFC text, bracket spans in NFC offsets) and its position in the document.
 */
export interface ParagraphView extends CanonicalParagraph {
  index: number;
}

/** Every block of a document's current text, by id. */
export function documentParagraphs(ctx: AppContext, documentId: string): Map<string, ParagraphView> {
  return paragraphsOfBlocks(documentBlocks(ctx, documentId));
}

/** Every block of `blocks`, by id, in document order. */
export function paragraphsOfBlocks(blocks: readonly Block[]): Map<string, ParagraphView> {
  const views = new Map<string, ParagraphView>();
  canonicalize(blocks).paragraphs.forEach((p, index) => views.set(p.id, { ...p, index }));
  return views;
}

/**
 * One block of a live Yjs text, without reading the text of the others (numbering needs
 * only their kinds and levels): what a command needs to describe the bracket it changed.
 */
export function paragraphOfFragment(fragment: Y.XmlFragment, id: string): ParagraphView | null {
  const shapes: Array<Pick<Block, "kind" | "level">> = [];
  let found: { element: Y.XmlElement; index: number } | null = null;
  for (const child of fragment.toArray()) {
    if (!(child instanceof Y.XmlElement) || !isBlockType(child.nodeName)) continue;
    const attrs = child.getAttributes() as { kind?: unknown; level?: unknown; id?: unknown };
    const level = typeof attrs.level === "number" ? attrs.level : child.nodeName === "heading" ? 1 : 0;
    if (attrs.id === id) found = { element: child, index: shapes.length };
    shapes.push({ kind: kindOf(child.nodeName, attrs), level });
  }
  if (!found) return null;
  const block = blockOfYElement(found.element)!;
  const number = numberBlocks(shapes)[found.index]!;
  return {
    id,
    kind: block.kind,
    level: block.level,
    number: number.number,
    ref: number.ref,
    text: blockText(block).normalize("NFC"),
    brackets: bracketSpans(block),
    index: found.index,
  };
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
