import * as Y from "yjs";
import { textFragment } from "../../schema/yfragment.js";

/**
 * Comment anchors in the live text. A range is two Yjs relative positions (base64 of
 * `Y.encodeRelativePosition`), made here from a selection and resolved here back to
 * offsets in a paragraph's text, whatever was typed since; the server reads the same
 * positions the same way (docs/API.md, "Comments and delegation notes").
 */

function paragraphElement(doc: Y.Doc, paragraphId: string): Y.XmlElement | null {
  for (const child of textFragment(doc).toArray()) if (child instanceof Y.XmlElement && child.getAttribute("id") === paragraphId) return child;
  return null;
}

function toBase64(bytes: Uint8Array): string {
  let binary = "";
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary);
}

function fromBase64(text: string): Uint8Array {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/** The text child holding offset `at` of a paragraph, and the index in it. */
function locate(element: Y.XmlElement, at: number, preferEnd: boolean): { text: Y.XmlText; index: number } | null {
  let offset = 0;
  let last: { text: Y.XmlText; index: number } | null = null;
  for (const child of element.toArray()) {
    if (!(child instanceof Y.XmlText)) continue;
    const end = offset + child.length;
    if (at < end || (preferEnd && at === end)) return { text: child, index: at - offset };
    last = { text: child, index: child.length };
    offset = end;
  }
  return at === offset ? last : null;
}

/**
 * The two relative positions of `from`–`to` in a paragraph's text: the start sticks to the
 * first character commented on, the end to the last, so typing at either edge stays outside.
 */
export function rangeAnchor(doc: Y.Doc, paragraphId: string, from: number, to: number): { start: string; end: string } | null {
  const element = paragraphElement(doc, paragraphId);
  if (!element || from >= to) return null;
  const start = locate(element, from, false);
  const end = locate(element, to, true);
  if (!start || !end) return null;
  const encode = (p: { text: Y.XmlText; index: number }, assoc: number) =>
    toBase64(Y.encodeRelativePosition(Y.createRelativePositionFromTypeIndex(p.text, p.index, assoc)));
  return { start: encode(start, 0), end: encode(end, -1) };
}

/** Where a range stands now, in offsets of its paragraph's text; null when its words are gone. */
export function resolveRange(doc: Y.Doc, paragraphId: string, start: string, end: string): { from: number; to: number } | null {
  const element = paragraphElement(doc, paragraphId);
  if (!element) return null;
  const offsetOf = (encoded: string): number | null => {
    let rel: Y.RelativePosition;
    try {
      rel = Y.decodeRelativePosition(fromBase64(encoded));
    } catch {
      return null;
    }
    const abs = Y.createAbsolutePositionFromRelativePosition(rel, doc);
    if (!abs || abs.type.parent !== element) return null;
    let offset = 0;
    for (const child of element.toArray()) {
      if (child === abs.type) return offset + abs.index;
      if (child instanceof Y.XmlText) offset += child.length;
    }
    return null;
  };
  const from = offsetOf(start);
  const to = offsetOf(end);
  return from !== null && to !== null && from < to ? { from, to } : null;
}
