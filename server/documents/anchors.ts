import * as Y from "yjs";
import { textFragment } from "../../schema/index.js";
import type { AppContext } from "../context.js";

// Anchors: places in a document's text kept as Yjs relative positions, so that they follow
// their words through every edit (comments on a range, reference footnotes at a point).
// Offsets come in two countings: "stored" offsets count the Y.XmlText as it is (what an
// editor's own copy counts); "NFC" offsets count the text normalised, as the read-model,
// bracket spans and the API's point offsets do.

/** Runs `read` with the document's current Y.Doc: its live room's, or one loaded from the store for the occasion (released after). */
export function withText<T>(ctx: AppContext, documentId: string, read: (doc: Y.Doc) => T): T {
  const room = ctx.rooms.get(documentId);
  if (room) return read(room.doc);
  const { doc } = ctx.texts.load(documentId);
  try {
    return read(doc);
  } finally {
    doc.destroy();
  }
}

/** The block element with this paragraph id in the text, or null. */
export function paragraphElement(doc: Y.Doc, paragraphId: string): Y.XmlElement | null {
  for (const child of textFragment(doc).toArray()) if (child instanceof Y.XmlElement && child.getAttribute("id") === paragraphId) return child;
  return null;
}

/** The texts of a block (one in practice; several are counted through in order). */
function textsOf(element: Y.XmlElement): Y.XmlText[] {
  return element.toArray().filter((c): c is Y.XmlText => c instanceof Y.XmlText);
}

/** A Y.XmlText's text as stored, one string per formatting run (as the read-model's runs); toString would give marks as tags. */
function segmentsOf(text: Y.XmlText): string[] {
  return (text.toDelta() as Array<{ insert: unknown }>).flatMap((op) => (typeof op.insert === "string" ? [op.insert] : []));
}

/** A block's text as stored (not normalised). */
export function paragraphPlainText(element: Y.XmlElement): string {
  return textsOf(element)
    .flatMap(segmentsOf)
    .join("");
}

/** The NFC length of a stored prefix, counted run by run as the read-model counts its offsets. */
function nfcLength(segments: readonly string[], stored: number): number {
  let nfc = 0;
  let left = stored;
  for (const segment of segments) {
    if (left <= 0) break;
    nfc += segment.slice(0, left).normalize("NFC").length;
    left -= segment.length;
  }
  return nfc;
}

/** The stored offset of an NFC offset (the first stored offset whose NFC prefix reaches it). */
function storedOffset(segments: readonly string[], nfc: number): number {
  let stored = 0;
  let left = nfc;
  for (const segment of segments) {
    const normal = segment.normalize("NFC");
    if (left <= normal.length) {
      if (normal === segment) return stored + left;
      for (let i = 0; i <= segment.length; i++) if (segment.slice(0, i).normalize("NFC").length >= left) return stored + i;
    }
    left -= normal.length;
    stored += segment.length;
  }
  return stored;
}

/** Decodes a relative position, or null when the bytes are not one. */
export function decodePosition(encoded: Uint8Array): Y.RelativePosition | null {
  try {
    return Y.decodeRelativePosition(encoded);
  } catch {
    return null;
  }
}

/**
 * The stored offset of a relative position inside `element`'s text, or null when it
 * resolves elsewhere or nowhere. A position whose character was deleted resolves to where
 * that character stood (which is how a range whose words were deleted collapses).
 */
export function offsetIn(doc: Y.Doc, element: Y.XmlElement, position: Y.RelativePosition): number | null {
  const absolute = Y.createAbsolutePositionFromRelativePosition(position, doc);
  if (!absolute || !(absolute.type instanceof Y.XmlText) || absolute.type.parent !== element) return null;
  let offset = 0;
  for (const child of element.toArray()) {
    if (child === absolute.type) return offset + absolute.index;
    if (child instanceof Y.XmlText) offset += child.length;
  }
  return null;
}

/**
 * The anchor of a point in a paragraph: `offset` is an NFC UTF-16 offset into its text, as
 * the API counts them. The position is on the character before the point (assoc -1), so
 * text typed at the point goes after it and the anchor stays with its word. Null when the
 * paragraph is not in the text or has no text to anchor to yet.
 */
export function pointAnchor(doc: Y.Doc, paragraphId: string, offset: number): Uint8Array | null {
  const element = paragraphElement(doc, paragraphId);
  if (!element) return null;
  const texts = textsOf(element);
  if (texts.length === 0) return null;
  let stored = storedOffset(texts.flatMap(segmentsOf), offset);
  for (const [i, text] of texts.entries()) {
    if (stored <= text.length || i === texts.length - 1) return Y.encodeRelativePosition(Y.createRelativePositionFromTypeIndex(text, Math.min(stored, text.length), -1));
    stored -= text.length;
  }
  return null;
}

/**
 * Where a point anchor stands in a text: the paragraph and the NFC offset in it; null when
 * its character was deleted, or is not in this text (a version older than the anchor).
 */
export function resolvePoint(doc: Y.Doc, anchor: Uint8Array): { paragraphId: string; offset: number } | null {
  const position = decodePosition(anchor);
  if (!position) return null;
  if (position.item) {
    if (Y.getState(doc.store, position.item.client) <= position.item.clock) return null;
    const item = Y.getItem(doc.store, position.item);
    if (!(item instanceof Y.Item) || item.deleted) return null;
  }
  const absolute = Y.createAbsolutePositionFromRelativePosition(position, doc);
  if (!absolute || !(absolute.type instanceof Y.XmlText) || absolute.type._item?.deleted) return null;
  const element = absolute.type.parent;
  if (!(element instanceof Y.XmlElement) || element._item?.deleted) return null;
  const paragraphId = element.getAttribute("id");
  if (typeof paragraphId !== "string") return null;
  const texts = textsOf(element);
  let stored = absolute.index;
  for (const text of texts) {
    if (text === absolute.type) break;
    stored += text.length;
  }
  return { paragraphId, offset: nfcLength(texts.flatMap(segmentsOf), stored) };
}

/**
 * Where a range (two relative positions) stands in a paragraph now: stored offsets and the
 * words between them; null when either end is not in the paragraph's text or the range
 * has collapsed (its words were deleted).
 */
export function resolveRange(doc: Y.Doc, element: Y.XmlElement, start: Y.RelativePosition, end: Y.RelativePosition): { from: number; to: number; text: string } | null {
  const from = offsetIn(doc, element, start);
  const to = offsetIn(doc, element, end);
  if (from === null || to === null || from >= to) return null;
  return { from, to, text: paragraphPlainText(element).slice(from, to) };
}
