import type { Block } from "./blocks.js";

/** How a block is cited: `number` as printed before it, `ref` as delegates cite it. */
export interface BlockNumber {
  /** Label of an operative paragraph: "1", "(a)", "(i)" (print adds the dot after "1"); null otherwise. */
  number: string | null;
  /** Citation: "OP1", "OP1(a)", "OP1(a)(ii)", "PP3"; null for title, chapeau and headings. */
  ref: string | null;
}

const ROMAN: Array<[number, string]> = [
  [1000, "m"], [900, "cm"], [500, "d"], [400, "cd"], [100, "c"], [90, "xc"],
  [50, "l"], [40, "xl"], [10, "x"], [9, "ix"], [5, "v"], [4, "iv"], [1, "i"],
];

/** Lower-case Roman numeral of a positive integer (1 → "i", 14 → "xiv"). */
export function roman(n: number): string {
  let out = "";
  for (const [value, digits] of ROMAN) {
    while (n >= value) {
      out += digits;
      n -= value;
    }
  }
  return out;
}

/** Letters for sub-paragraphs: 1 → "a", 26 → "z", 27 → "aa" (the UN convention). */
export function letter(n: number): string {
  const base = String.fromCharCode(97 + ((n - 1) % 26));
  return base.repeat(Math.floor((n - 1) / 26) + 1);
}

/**
 * Numbers every block of a document, in order. Operative paragraphs are numbered
 * continuously through the document (section headings do not restart them); a level-1
 * sub-paragraph restarts at "(a)" under each numbered paragraph, a level-2 at "(i)" under
 * each lettered one. A sub-paragraph with no parent above it is numbered as if it had one.
 * Preambular paragraphs are unnumbered in print but cited in order as PP1, PP2, ….
 */
export function numberBlocks(blocks: readonly Pick<Block, "kind" | "level">[]): BlockNumber[] {
  let op = 0;
  let sub = 0;
  let subsub = 0;
  let pp = 0;
  let lastOp = "";
  let lastSub = "";
  return blocks.map((block) => {
    if (block.kind === "pp") {
      pp += 1;
      return { number: null, ref: `PP${pp}` };
    }
    if (block.kind !== "op") return { number: null, ref: null };
    const level = Math.max(0, Math.min(2, block.level));
    if (level === 0) {
      op += 1;
      sub = 0;
      subsub = 0;
      lastOp = `OP${op}`;
      lastSub = lastOp;
      return { number: String(op), ref: lastOp };
    }
    if (level === 1) {
      sub += 1;
      subsub = 0;
      lastSub = `${lastOp || "OP0"}(${letter(sub)})`;
      return { number: `(${letter(sub)})`, ref: lastSub };
    }
    subsub += 1;
    return { number: `(${roman(subsub)})`, ref: `${lastSub || "OP0"}(${roman(subsub)})` };
  });
}
