import * as sha256 from "lib0/hash/sha256";
import * as buf from "lib0/buffer";
import type { BracketRef } from "./blocks.js";

/**
 * How y-prosemirror names a mark in a Y.XmlText's formatting attributes. A mark whose type
 * does not exclude itself (our bracket) may occur several times on one character, so
 * y-prosemirror keys each occurrence by `<name>--<8 base64 chars>`, a hash of the mark's
 * JSON. Text written by the server must use the very same keys, or the next client edit
 * would see a different mark and rewrite the formatting.
 */
const HASHED_KEY = /^(.*)(--[a-zA-Z0-9+/=]{8})$/;

/** The mark name behind a formatting key (`bracket--Ab12Cd34` → `bracket`). */
export function markNameOfKey(key: string): string {
  return HASHED_KEY.exec(key)?.[1] ?? key;
}

/** y-prosemirror's hash of a mark's JSON: SHA-256 folded to 6 bytes, base64. */
function hashOfJson(json: unknown): string {
  const digest = sha256.digest(buf.encodeAny(json as never));
  const n = 6;
  for (let i = n; i < digest.length; i++) digest[i % n] = digest[i % n]! ^ digest[i]!;
  return buf.toBase64(digest.slice(0, n));
}

/** The formatting key y-prosemirror uses for a bracket mark with these attributes. */
export function bracketKey(bracket: BracketRef): string {
  // Attribute order must be the spec's (id, group): the hash covers the encoded object.
  return `bracket--${hashOfJson({ type: "bracket", attrs: { id: bracket.id, group: bracket.group } })}`;
}
