import * as Y from "yjs";
import { textFragment } from "../../schema/index.js";
import type { AppContext } from "../context.js";
import { badRequest } from "../http/errors.js";
import type { CommentAnchor } from "../../schema/api/comments.js";

/** A range as a client sends it: two encoded Yjs relative positions, base64. */
export interface RangeInput {
  start: string;
  end: string;
}

/** A document's Yjs text for reading anchors: the live room's, or one loaded from the store (released after `use`). */
export function withText<T>(ctx: AppContext, documentId: string, use: (doc: Y.Doc) => T): T {
  const room = ctx.rooms.get(documentId);
  if (room) return use(room.doc);
  const doc = ctx.texts.load(documentId).doc;
  try {
    return use(doc);
  } finally {
    doc.destroy();
  }
}

function paragraphElement(doc: Y.Doc, paragraphId: string): Y.XmlElement | null {
  for (const child of textFragment(doc).toArray()) if (child instanceof Y.XmlElement && child.getAttribute("id") === paragraphId) return child;
  return null;
}

/** Plain text of an XmlText (toString would give marks as tags). */
function plain(text: Y.XmlText): string {
  return text
    .toDelta()
    .map((d: { insert?: unknown }) => (typeof d.insert === "string" ? d.insert : ""))
    .join("");
}

/** The offset of a relative position inside `element`'s text, or null when it resolves elsewhere or nowhere. */
function offsetIn(doc: Y.Doc, element: Y.XmlElement, rel: Y.RelativePosition): number | null {
  const abs = Y.createAbsolutePositionFromRelativePosition(rel, doc);
  if (!abs || !(abs.type instanceof Y.XmlText) || abs.type.parent !== element) return null;
  let offset = 0;
  for (const child of element.toArray()) {
    if (child === abs.type) return offset + abs.index;
    if (child instanceof Y.XmlText) offset += child.length;
  }
  return null;
}

function decode(encoded: string): Y.RelativePosition {
  try {
    return Y.decodeRelativePosition(Buffer.from(encoded, "base64"));
  } catch {
    throw badRequest("range: not an encoded Yjs relative position");
  }
}

function paragraphPlainText(element: Y.XmlElement): string {
  return element
    .toArray()
    .map((c) => (c instanceof Y.XmlText ? plain(c) : ""))
    .join("");
}

/**
 * Checks a range a client sends against the text as the server has it: both ends inside
 * the paragraph, start before end. Returns the encoded positions and the words quoted.
 */
export function checkRange(doc: Y.Doc, paragraphId: string, range: RangeInput): { start: Buffer; end: Buffer; quote: string } {
  const element = paragraphElement(doc, paragraphId);
  if (!element) throw badRequest("paragraphId: no such paragraph in this document");
  const from = offsetIn(doc, element, decode(range.start));
  const to = offsetIn(doc, element, decode(range.end));
  if (from === null || to === null)
    throw badRequest("range: it does not point into this paragraph's text as the server has it (if you just typed it, try again in a moment)");
  if (from >= to) throw badRequest("range: select at least one character");
  return { start: Buffer.from(range.start, "base64"), end: Buffer.from(range.end, "base64"), quote: paragraphPlainText(element).slice(from, to) };
}

/** Whether the document has a paragraph with this id now. */
export function hasParagraph(doc: Y.Doc, paragraphId: string): boolean {
  return paragraphElement(doc, paragraphId) !== null;
}

/** The paragraph's text now (for quoting a whole-paragraph comment in messages). */
export function paragraphTextNow(doc: Y.Doc, paragraphId: string): string | null {
  const element = paragraphElement(doc, paragraphId);
  return element ? paragraphPlainText(element) : null;
}

/** Where a stored anchor stands in `doc` now. */
export function resolveAnchor(
  doc: Y.Doc,
  stored: { paragraphId: string; paragraphRef: string | null; start: Buffer | null; end: Buffer | null; quote: string | null },
): CommentAnchor {
  const base = {
    paragraphId: stored.paragraphId,
    paragraphRef: stored.paragraphRef,
    quote: stored.quote,
    start: stored.start ? Buffer.from(stored.start).toString("base64") : null,
    end: stored.end ? Buffer.from(stored.end).toString("base64") : null,
  };
  const element = paragraphElement(doc, stored.paragraphId);
  if (!element) return { ...base, status: "paragraph_deleted", from: null, to: null, text: null };
  if (!stored.start || !stored.end) return { ...base, status: "paragraph", from: null, to: null, text: null };
  const from = offsetIn(doc, element, Y.decodeRelativePosition(new Uint8Array(stored.start)));
  const to = offsetIn(doc, element, Y.decodeRelativePosition(new Uint8Array(stored.end)));
  if (from === null || to === null || from >= to) return { ...base, status: "range_deleted", from: null, to: null, text: null };
  return { ...base, status: "range", from, to, text: paragraphPlainText(element).slice(from, to) };
}
