/**
 * Typed brackets: a literal "[" or "]" in a paragraph's text. Real brackets are marks and
 * never characters, so a typed one is text that looks unagreed while no bracket tracks it.
 * Found the same way by the server (register, guards) and the editor (live, as one types).
 */

/** A typed "[" with the offset of its partner "]" in the same text (null when it has none), or a lone "]" (close null). */
export interface TypedBracketSpan {
  offset: number;
  close: number | null;
}

/** The typed brackets of a text, in text order; a matched pair is one entry (its "[" first). */
export function typedBracketsIn(text: string): TypedBracketSpan[] {
  if (!text.includes("[") && !text.includes("]")) return [];
  const open: number[] = [];
  const found: TypedBracketSpan[] = [];
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === "[") open.push(i);
    else if (c === "]") {
      const start = open.pop();
      found.push(start === undefined ? { offset: i, close: null } : { offset: start, close: i });
    }
  }
  for (const start of open) found.push({ offset: start, close: null });
  return found.sort((a, b) => a.offset - b.offset);
}

/** A typed bracket with some twenty characters of text on either side, for a person to find it. */
export function typedBracketExcerpt(text: string, offset: number, close: number | null): string {
  const from = Math.max(0, offset - 20);
  const to = Math.min(text.length, (close ?? offset) + 21);
  return `${from > 0 ? "…" : ""}${text.slice(from, to)}${to < text.length ? "…" : ""}`;
}
