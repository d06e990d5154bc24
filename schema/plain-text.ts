/**
 * What may not appear in a name, a symbol, a label or a reason, whatever its language:
 * NUL (cuts strings short in C libraries, logs and some exports), the bidirectional
 * embedding, override and isolate controls U+202A–U+202E and U+2066–U+2069 (they make a
 * text display in another order than it is stored: "RTP‮90/5.cod" reads as another symbol),
 * and lone UTF-16 surrogates (not text at all; they turn into U+FFFD or break encoders).
 * Right-to-left scripts need none of these: the marks U+200E/U+200F stay allowed.
 */
const BIDI_CONTROLS = /[\u202A-\u202E\u2066-\u2069]/u;
// Without the u flag a regular expression sees UTF-16 code units, so it can find the halves of a pair alone.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Why `text` is not acceptable as a name, symbol, label or reason, or null when it is. */
export function plainTextProblem(text: string): string | null {
  if (text.includes("\u0000")) return "contains a NUL character";
  if (BIDI_CONTROLS.test(text)) return "contains a bidirectional control character (U+202A–U+202E or U+2066–U+2069)";
  if (LONE_SURROGATE.test(text)) return "contains a lone surrogate (not valid Unicode text)";
  return null;
}
