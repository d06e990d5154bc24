import { em } from "./em.js";
import { strong } from "./strong.js";
import { bracket } from "./bracket.js";
import type { MarkDescriptor } from "./mark.js";

/**
 * Every mark of an outcome document's text, in the schema's order. The one list of marks:
 * the schema, the run type, validation and the Yjs encoding come from here. A new plain
 * mark (underline, superscript) is a descriptor file in this folder and one entry here.
 */
export const MARKS = [em, strong, bracket] as const;

/** One of the mark types. */
export type MarkType = (typeof MARKS)[number]["name"];

/** The marks of plain nature: formatting flags on a run, absent from the canonical form. */
export type PlainMarkType = Extract<(typeof MARKS)[number], { nature: "plain" }>["name"];

const BY_NAME = new Map<string, MarkDescriptor<MarkType>>(MARKS.map((m) => [m.name, m]));

/** The descriptor of a mark by name, or undefined for a name the schema does not know. */
export function markDescriptor(name: string): MarkDescriptor<MarkType> | undefined {
  return BY_NAME.get(name);
}

/** The plain marks, in schema order. */
export const PLAIN_MARKS: readonly MarkDescriptor<PlainMarkType, "plain">[] = MARKS.filter(
  (m): m is Extract<(typeof MARKS)[number], { nature: "plain" }> => m.nature === "plain",
);

/** Whether `name` is a plain mark. */
export function isPlainMark(name: string): name is PlainMarkType {
  return markDescriptor(name)?.nature === "plain";
}
