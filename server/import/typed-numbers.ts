/**
 * Numbers a drafter typed before a paragraph's text ("1.", "2 bis.", "(a)", "a)", "(iv)",
 * "PP3", "OP12"): recognised, so that the import strips them and turns them into levels.
 */

/** Latin suffixes of paragraphs inserted during negotiation, in order ("2 bis" follows 2). */
const SUFFIXES = ["bis", "ter", "quater", "quinquies", "sexies", "septies", "octies", "novies", "decies"] as const;
const SUFFIX = `(?:\\s?-?(${SUFFIXES.join("|")}))?`;

/** What kind of number was typed: arabic (OP), letter (sub-paragraph), roman (sub-sub), or an explicit PP/OP label. */
export type NumberStyle = "arabic" | "letter" | "roman" | "pp" | "op";

/** A typed number at the start of a paragraph. */
export interface TypedNumber {
  style: NumberStyle;
  /** Its value: 3 for "3.", "(c)" and "(iii)". */
  value: number;
  /** "bis", "ter"… or null. */
  suffix: string | null;
  /** As typed, trimmed ("2 bis.", "(a)"). */
  label: string;
  /** How many characters it takes at the start of the text. */
  length: number;
}

const LABELLED = new RegExp(`^(PP|OP)\\s?(\\d{1,3})${SUFFIX}\\s*[.:)]?(?=\\s|$)`, "i");
const ARABIC = new RegExp(`^(\\d{1,3})${SUFFIX}(?:\\.-?|\\))(?=\\s|$)`);
const ARABIC_PAREN = new RegExp(`^\\((\\d{1,3})${SUFFIX}\\)(?=\\s|$)`);
const LETTER_PAREN = new RegExp(`^\\(([a-zA-Z]{1,6})${SUFFIX}\\)(?=\\s|$)`);
const LETTER_HALF = new RegExp(`^([a-z]{1,6})${SUFFIX}\\)(?=\\s|$)`);
const LETTER_DOT = /^([a-z])\.(?=\s)/;

const ROMAN_VALUES: Record<string, number> = { i: 1, v: 5, x: 10, l: 50, c: 100 };

/** The value of a lower-case Roman numeral in its canonical form ("iv" → 4), or null. */
function romanValue(s: string): number | null {
  if (!/^[ivxlc]+$/.test(s)) return null;
  let total = 0;
  for (let i = 0; i < s.length; i++) {
    const v = ROMAN_VALUES[s[i]!]!;
    const next = ROMAN_VALUES[s[i + 1] ?? ""] ?? 0;
    total += v < next ? -v : v;
  }
  return total > 0 && total < 400 && toRoman(total) === s ? total : null;
}

function toRoman(n: number): string {
  const table: Array<[number, string]> = [[100, "c"], [90, "xc"], [50, "l"], [40, "xl"], [10, "x"], [9, "ix"], [5, "v"], [4, "iv"], [1, "i"]];
  let out = "";
  for (const [v, d] of table) while (n >= v) (out += d), (n -= v);
  return out;
}

/** The value of a letter label: "a" → 1, "z" → 26, "aa" → 27 (the UN convention); null if not one. */
function letterValue(s: string): number | null {
  if (!/^([a-z])\1*$/.test(s)) return null;
  return (s.length - 1) * 26 + (s.charCodeAt(0) - 96);
}

/**
 * The number typed at the start of `text`, if any. `lastLetter` is the value of the last
 * letter seen at this place, so that "(i)" after "(h)" is a letter and after "(a)" or at
 * the start of a list is a Roman numeral; likewise "(v)" and "(x)".
 */
export function typedNumber(text: string, lastLetter: number): TypedNumber | null {
  let m = LABELLED.exec(text);
  if (m) return { style: m[1]!.toUpperCase() === "PP" ? "pp" : "op", value: Number(m[2]), suffix: m[3]?.toLowerCase() ?? null, label: m[0].trim(), length: m[0].length };
  m = ARABIC.exec(text) ?? ARABIC_PAREN.exec(text);
  if (m) return { style: "arabic", value: Number(m[1]), suffix: m[2]?.toLowerCase() ?? null, label: m[0].trim(), length: m[0].length };
  m = LETTER_PAREN.exec(text) ?? LETTER_HALF.exec(text) ?? LETTER_DOT.exec(text);
  if (!m) return null;
  const name = m[1]!.toLowerCase();
  const asLetter = letterValue(name);
  const asRoman = romanValue(name);
  const suffix = m[2]?.toLowerCase() ?? null;
  const base = { suffix, label: m[0].trim(), length: m[0].length };
  if (asLetter !== null && (asRoman === null || asLetter === lastLetter + 1 || (suffix !== null && asLetter === lastLetter)))
    return { style: "letter", value: asLetter, ...base };
  if (asRoman !== null) return { style: "roman", value: asRoman, ...base };
  return null;
}
