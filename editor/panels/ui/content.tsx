/**
 * The wording an amendment proposes, edited as the API takes it: plain wording for one
 * paragraph that keeps the target's kind and level (`{text}`), or one or more paragraphs
 * as ProseMirror JSON, each with its kind (preambular, operative) and level. A paragraph
 * whose words and shape are left as they were is sent back exactly as it came, formatting
 * (italics) included, so that opening a form and saving it changes nothing.
 */
import type { JSX } from "preact";
import { MAX_PARAGRAPH_LEVEL, type ParagraphKind } from "../../../schema/nodes/paragraph.js";
import type { PMNodeJSON } from "../../../schema/pmjson.js";
import { Field, SelectField } from "./common.js";
import { t } from "../../i18n/index.js";

/** What an amendment's `content` may be (docs/API.md). */
export type AmendmentContent = { text: string } | PMNodeJSON[];

/** One paragraph of proposed wording as the form holds it. */
export interface ContentRow {
  /** Null: the target's kind and level (plain `{text}` content, one paragraph only). */
  kind: ParagraphKind | null;
  level: number;
  text: string;
  /** The paragraph as it came, sent back untouched while its words and shape are unchanged. */
  original: PMNodeJSON | null;
}

const KIND_LABELS: Record<ParagraphKind, string> = { pp: t("paragraph.pp"), op: t("paragraph.op") };
const LEVEL_LABELS = [t("content.level0"), t("content.level1"), t("content.level2")];

function plainText(node: PMNodeJSON): string {
  return (node.content ?? []).map((c) => c.text ?? "").join("");
}

/** The rows of stored content; none yet gives one paragraph with `text`, shaped as the target. */
export function contentRows(content: unknown, text = ""): ContentRow[] {
  if (Array.isArray(content) && content.length > 0) {
    return (content as PMNodeJSON[]).map((node) => ({
      kind: node.attrs?.kind === "pp" ? "pp" : "op",
      level: typeof node.attrs?.level === "number" ? node.attrs.level : 0,
      text: plainText(node),
      original: node,
    }));
  }
  const c = content as { text?: unknown } | null;
  return [{ kind: null, level: 0, text: c && typeof c.text === "string" ? c.text : text, original: null }];
}

/** The content the rows stand for, in the form the API takes. */
export function contentOf(rows: readonly ContentRow[], like: { kind: string; level: number } | null): AmendmentContent {
  if (rows.length === 1 && rows[0]!.kind === null) return { text: rows[0]!.text };
  const likeKind: ParagraphKind = like?.kind === "pp" ? "pp" : "op";
  return rows.map((row) => {
    const kind = row.kind ?? likeKind;
    const level = row.kind === null ? (like && (like.kind === "pp" || like.kind === "op") ? like.level : 0) : row.level;
    const o = row.original;
    if (o && plainText(o) === row.text && o.attrs?.kind === kind && o.attrs?.level === level) return o;
    return { type: "paragraph", attrs: { kind, level }, content: row.text ? [{ type: "text", text: row.text }] : [] };
  });
}

/** Whether every paragraph has words (the server refuses an empty one). */
export function contentComplete(rows: readonly ContentRow[]): boolean {
  return rows.every((r) => r.text.trim().length > 0);
}

/**
 * The paragraphs of proposed wording: each with its kind, level and text, and buttons to
 * add a paragraph or remove one. `like` is the target, whose shape a lone plain paragraph keeps.
 */
export function ContentEditor({
  id,
  label,
  rows,
  like,
  onChange,
}: {
  id: string;
  label: string;
  rows: readonly ContentRow[];
  like: { kind: string; level: number } | null;
  onChange: (rows: ContentRow[]) => void;
}): JSX.Element {
  const update = (i: number, change: Partial<ContentRow>) => onChange(rows.map((r, j) => (j === i ? { ...r, ...change } : r)));
  // A second paragraph needs every paragraph's shape spelled out: the first takes the target's.
  const shaped = (r: ContentRow): ContentRow =>
    r.kind !== null ? r : { ...r, kind: like?.kind === "pp" ? "pp" : "op", level: like && (like.kind === "pp" || like.kind === "op") ? like.level : 0 };
  const add = () => onChange([...rows.map(shaped), { kind: shaped(rows[rows.length - 1] ?? contentRows(null)[0]!).kind, level: 0, text: "", original: null }]);
  const remove = (i: number) => onChange(rows.filter((_, j) => j !== i));
  return (
    <fieldset class="pn-content" aria-label={label}>
      <legend>{label}</legend>
      {rows.map((row, i) => {
        const n = rows.length > 1 ? ` ${i + 1}` : "";
        return (
          <div class="pn-content-paragraph" key={i} role="group" aria-label={`${t("content.paragraph")}${n || " 1"}`}>
            {row.kind !== null && (
              <div class="pn-content-shape">
                <SelectField id={`${id}-${i}-kind`} label={`${t("body.kind")}${n}`} value={row.kind} onChange={(v) => update(i, { kind: v as ParagraphKind })}>
                  {(["pp", "op"] as const).map((k) => (
                    <option key={k} value={k}>
                      {KIND_LABELS[k]}
                    </option>
                  ))}
                </SelectField>
                <SelectField id={`${id}-${i}-level`} label={`${t("content.level")}${n}`} value={String(row.level)} onChange={(v) => update(i, { level: Number(v) })}>
                  {Array.from({ length: MAX_PARAGRAPH_LEVEL + 1 }, (_, l) => (
                    <option key={l} value={String(l)}>
                      {LEVEL_LABELS[l]}
                    </option>
                  ))}
                </SelectField>
              </div>
            )}
            <Field id={`${id}-${i}-text`} label={`${t("newDocument.text")}${n}`}>
              <textarea id={`${id}-${i}-text`} rows={rows.length > 1 ? 3 : 5} value={row.text} required onInput={(e) => update(i, { text: e.currentTarget.value })} />
            </Field>
            {rows.length > 1 && (
              <button type="button" class="pn-link" onClick={() => remove(i)}>
                {t("content.remove")}
                {n}
              </button>
            )}
          </div>
        );
      })}
      <button type="button" class="pn-link" onClick={add}>
        {t("content.add")}
      </button>
    </fieldset>
  );
}
