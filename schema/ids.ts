/**
 * Identity of blocks (paragraphs, headings, title, chapeau) and of brackets.
 *
 * An id is assigned once, by the creating client or the server, and then never changes:
 * amendments, statuses, provenance and versions refer to a paragraph by it.
 */

const ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/** The form every block and bracket id must have: 1–64 URL-safe characters. */
export const ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;

/** Whether `value` is a string that may serve as a block or bracket id. */
export function isValidId(value: unknown): value is string {
  return typeof value === "string" && ID_PATTERN.test(value);
}

/**
 * A fresh random id with `prefix` (e.g. `p` for paragraphs, `b` for brackets) followed by
 * 12 base-62 characters (~71 bits): collisions are not a practical concern, and the server
 * refuses duplicates anyway.
 */
export function newId(prefix = "p"): string {
  const bytes = new Uint8Array(12);
  globalThis.crypto.getRandomValues(bytes);
  let out = prefix;
  for (const b of bytes) out += ALPHABET[b % 62];
  return out;
}
