import * as Y from "yjs";
import { textFragment } from "../../schema/index.js";

// A note's anchor is a Yjs relative position on the character the note follows (assoc
// -1, the character to its left): text typed at the note's place goes after the marker
// and the marker stays with its word, wherever edits before it move that word. At the very
// start of a paragraph it is the paragraph's text itself.

/** The block element with this paragraph id, or null. */
function paragraphElement(doc: Y.Doc, paragraphId: string): Y.XmlElement | null {
  for (const child of textFragment(doc).toArray())
    if (child instanceof Y.XmlElement && child.getAttribute("id") === paragraphId) return child;
  return null;
}

/** A Y.XmlText's text as stored, one string per formatting run (as the read-model's runs). */
function segmentsOf(text: Y.XmlText): string[] {
  return (text.toDelta() as Array<{ insert: unknown }>).flatMap((op) => (typeof op.insert === "string" ? [op.insert] : []));
}

/** The NFC length of a stored prefix, counted run by run as the read-model counts its offsets. */
function nfcLength(segments: readonly string[], raw: number): number {
  let nfc = 0;
  let left = raw;
  for (const segment of segments) {
    if (left <= 0) break;
    nfc += segment.slice(0, left).normalize("NFC").length;
    left -= segment.length;
  }
  return nfc;
}

/** The stored offset of an NFC offset (the first stored offset whose NFC prefix reaches it). */
function rawOffset(segments: readonly string[], nfc: number): number {
  let raw = 0;
  let left = nfc;
  for (const segment of segments) {
    const normal = segment.normalize("NFC");
    if (left <= normal.length) {
      if (normal === segment) return raw + left;
      for (let i = 0; i <= segment.length; i++) if (segment.slice(0, i).normalize("NFC").length >= left) return raw + i;
    }
    left -= normal.length;
    raw += segment.length;
  }
  return raw;
}

/**
 * The anchor of a point in a paragraph: `offset` is an NFC UTF-16 offset into its text, as
 * the API counts them. Null when the paragraph is not in the text; a paragraph with no
 * text yet is anchored at its start.
 */
export function anchorAt(doc: Y.Doc, paragraphId: string, offset: number): Uint8Array | null {
  const element = paragraphElement(doc, paragraphId);
  if (!element) return null;
  const texts = element.toArray().filter((c): c is Y.XmlText => c instanceof Y.XmlText);
  if (texts.length === 0) return null;
  let raw = rawOffset(texts.flatMap(segmentsOf), offset);
  // The text the point falls in (a block has one in practice; several are counted through).
  for (const [i, text] of texts.entries()) {
    if (raw <= text.length || i === texts.length - 1) return Y.encodeRelativePosition(Y.createRelativePositionFromTypeIndex(text, Math.min(raw, text.length), -1));
    raw -= text.length;
  }
  return null;
}

/** Where an anchor stands in a text: the paragraph and the NFC offset in it; null when its character was deleted or is not in this text. */
export function resolveAnchor(doc: Y.Doc, anchor: Uint8Array): { paragraphId: string; offset: number } | null {
  let position: Y.RelativePosition;
  try {
    position = Y.decodeRelativePosition(anchor);
  } catch {
    return null;
  }
  if (position.item) {
    // A character this text never had (a version older than the note) or has deleted.
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
  const texts = element.toArray().filter((c): c is Y.XmlText => c instanceof Y.XmlText);
  let raw = absolute.index;
  for (const text of texts) {
    if (text === absolute.type) break;
    raw += text.length;
  }
  return { paragraphId, offset: nfcLength(texts.flatMap(segmentsOf), raw) };
}
