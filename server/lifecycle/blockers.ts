/** A paragraph reference as numbering writes it: PP3, OP4, OP4(a), OP4(a)(ii). */
const REF = /\b(?:PP|OP)\d+(?:\([a-z]+\))?(?:\([ivxlc]+\))?/g;

interface Kind {
  /** How a group of this kind is summed up: `4 brackets open`. */
  noun: (n: number) => string;
  matches: (reason: string) => boolean;
  /** What names one item of the group in the summary (a paragraph or an amendment). */
  name: (reason: string) => string | null;
}

const KINDS: Kind[] = [
  {
    noun: (n) => `${n} brackets open`,
    matches: (r) => /^bracket\b/i.test(r),
    name: (r) => r.match(REF)?.at(-1) ?? null,
  },
  {
    noun: (n) => `${n} amendments undecided`,
    matches: (r) => /^amendment\b/i.test(r),
    name: (r) => /\bA\d+\b/.exec(r)?.[0] ?? null,
  },
  {
    noun: (n) => `${n} paragraphs still white`,
    matches: (r) => /\bwhite\b/i.test(r),
    name: (r) => r.match(REF)?.[0] ?? null,
  },
];

/**
 * One sentence that sums up why a document is not clean, from the reasons the features
 * gave (which the answer lists in full): "the document is not clean: " and its summary
 * (`summaryParts`) joined by semicolons.
 */
export function blockersSentence(blockers: readonly string[]): string {
  return `the document is not clean: ${summaryParts(blockers).join("; ")}`;
}

/**
 * The parts of the summary of why a document is not clean: reasons of a kind the lifecycle
 * recognises (brackets, amendments, white paragraphs) are counted with what they name, e.g.
 * "4 brackets open (PP8, OP6, OP7)", "2 amendments undecided (A1, A2)"; any other reason,
 * and one alone of its kind, is quoted as it is. Each part is a sentence of
 * server/http/refusals.ts, so it has a code (`summaryCodes` of a `document.not_clean`).
 */
export function summaryParts(blockers: readonly string[]): string[] {
  const groups = new Map<Kind, string[]>();
  const parts: Array<Kind | string> = [];
  for (const reason of blockers) {
    const kind = KINDS.find((k) => k.matches(reason));
    if (!kind) {
      parts.push(reason);
      continue;
    }
    if (!groups.has(kind)) {
      groups.set(kind, []);
      parts.push(kind);
    }
    groups.get(kind)!.push(reason);
  }
  return parts.map((part) => {
    if (typeof part === "string") return part;
    const reasons = groups.get(part)!;
    if (reasons.length === 1) return reasons[0]!;
    const names = [...new Set(reasons.map(part.name).filter((n): n is string => n !== null))];
    return names.length ? `${part.noun(reasons.length)} (${names.join(", ")})` : part.noun(reasons.length);
  });
}
