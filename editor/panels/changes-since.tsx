/**
 * "Changes since Rev.1": every insertion and deletion in the text since a version, each
 * coloured and labelled by the delegation (or person) that made it, the way a word
 * processor shows tracked changes, with a legend per author. The server attributes them
 * (it knows who sent every update); this view only draws its answer.
 */
import type { JSX } from "preact";
import { useState } from "preact/hooks";
import type { AttributeChange, ChangeAuthor, ChangeRun, ChangedParagraph, ChangesSince } from "../../schema/api/changes.js";
import { colorOf } from "../document/presence.js";
import { formatNumber, t } from "../i18n/index.js";
import { when } from "./ui/common.js";

const CHANGE_LABELS: Record<ChangedParagraph["change"], string> = {
  added: t("change.added"),
  deleted: t("change.deleted"),
  changed: t("change.changed"),
  same: t("change.same"),
};

/** The names of block attributes, in the reader's words (others show as stored). */
const ATTRIBUTE_LABELS: Record<string, string> = {
  kind: t("aspect.kind"),
  level: t("aspect.level"),
  numbering: t("changes.attribute.numbering"),
};

/** The values of block attributes, in the reader's words (others show as stored). */
const VALUE_LABELS: Record<string, string> = {
  numbered: t("changes.value.numbered"),
  unnumbered: t("changes.value.unnumbered"),
  none: t("toolbar.headingNumbering.none"),
  section: t("toolbar.headingNumbering.section"),
  chapter: t("toolbar.headingNumbering.chapter"),
  article: t("toolbar.headingNumbering.article"),
  annex: t("toolbar.headingNumbering.annex"),
};

function valueText(value: AttributeChange["from"]): string {
  return value === null ? t("changes.value.unset") : (VALUE_LABELS[String(value)] ?? String(value));
}

/** An author's colour: the same for a delegation on every screen (as its people's carets are per person). */
function authorColor(key: string | null): string {
  return key === null ? "#5b5b5b" : colorOf(key);
}

/** The short tag after a change: the delegation code, or the person's user name. */
function authorTag(author: ChangeAuthor | undefined): string {
  if (!author) return t("changes.earlier");
  return author.delegation ?? author.key.replace(/^@/, "");
}

/** One run: plain, or inserted/deleted in its author's colour with a tag and a title saying who and when. */
function Run({ run, authors }: { run: ChangeRun; authors: ReadonlyMap<string, ChangeAuthor> }): JSX.Element {
  if (run.op === "equal") return <span>{run.text}</span>;
  const author = run.author === null ? undefined : authors.get(run.author);
  const color = authorColor(run.author);
  const who = author?.label ?? t("changes.earlierLong");
  const title = t(run.op === "insert" ? "changes.insertedBy" : "changes.deletedBy", { who, when: run.at ? when(run.at) : "—" });
  const Tag = run.op === "insert" ? "ins" : "del";
  return (
    <>
      <Tag class={`ch-run ch-${run.op}`} data-author={run.author ?? ""} style={{ color, textDecorationColor: color, backgroundColor: `${color}14` }} title={title}>
        {run.text}
      </Tag>
      <sup class="ch-tag" style={{ backgroundColor: color }} aria-hidden="true">
        {authorTag(author)}
      </sup>
    </>
  );
}

/** One attribute change: "numbering: numbered → unnumbered", in its author's colour, saying who and when. */
function Attribute({ change, authors }: { change: AttributeChange; authors: ReadonlyMap<string, ChangeAuthor> }): JSX.Element {
  const author = change.author === null ? undefined : authors.get(change.author);
  const color = authorColor(change.author);
  const title = t("changes.attributeBy", { who: author?.label ?? t("changes.earlierLong"), when: change.at ? when(change.at) : "—" });
  return (
    <li class="ch-attribute" data-attribute={change.name} data-author={change.author ?? ""} title={title} style={{ color }}>
      {t("changes.attribute", { name: ATTRIBUTE_LABELS[change.name] ?? change.name, from: valueText(change.from), to: valueText(change.to) })}{" "}
      <sup class="ch-tag" style={{ backgroundColor: color }} aria-hidden="true">
        {authorTag(author)}
      </sup>
    </li>
  );
}

/** The changes since a version, with the legend; unchanged paragraphs folded away unless asked for. */
export function ChangesSinceView({ changes, close, refresh }: { changes: ChangesSince; close: () => void; refresh: () => void }): JSX.Element {
  const [showSame, setShowSame] = useState(false);
  const authors = new Map(changes.authors.map((a) => [a.key, a]));
  const changed = changes.paragraphs.filter((p) => p.change !== "same");
  const shown = showSame ? changes.paragraphs : changed;
  const earlier = changes.paragraphs.some((p) => p.runs.some((r) => r.op !== "equal" && r.author === null) || p.attributes.some((a) => a.author === null));
  return (
    <div class="pn-changes" data-live="true" aria-label={t("changes.title", { label: changes.since.label })}>
      <div class="pn-item-head">
        <h3 class="pn-subhead">{t("changes.title", { label: changes.since.label })}</h3>
        <button type="button" onClick={refresh}>
          {t("changes.refresh")}
        </button>
        <button type="button" onClick={close}>
          {t("panel.close")}
        </button>
      </div>
      <p class="pn-meta">{t("changes.live")}</p>
      <p class="pn-meta">
        {changed.length === 0
          ? t("changes.none")
          : t("changes.summary", { count: changed.length, n: formatNumber(changed.length), inserted: formatNumber(changes.summary.inserted), deleted: formatNumber(changes.summary.deleted) })}
      </p>
      <ul class="ch-legend" aria-label={t("changes.legend")}>
        {changes.authors.map((a) => (
          <li key={a.key} data-author={a.key}>
            <span class="ch-swatch" style={{ backgroundColor: authorColor(a.key) }} aria-hidden="true" />
            <span class="ch-who">{a.label}</span>
            <span class="ch-counts">
              {t("changes.counts", { inserted: formatNumber(a.inserted), deleted: formatNumber(a.deleted) })}
              {a.attributes > 0 && ` ${t("changes.attributeCount", { count: a.attributes, n: formatNumber(a.attributes) })}`}
            </span>
            {a.people.length > 0 && <span class="ch-people">{a.people.join(", ")}</span>}
          </li>
        ))}
        {earlier && (
          <li data-author="">
            <span class="ch-swatch" style={{ backgroundColor: authorColor(null) }} aria-hidden="true" />
            <span class="ch-who">{t("changes.earlierLong")}</span>
          </li>
        )}
      </ul>
      <label class="pn-check">
        <input type="checkbox" checked={showSame} onChange={(e) => setShowSame(e.currentTarget.checked)} /> {t("versions.showSame")}
      </label>
      <ol class="pn-list">
        {shown.map((p) => (
          <li key={p.id} class={`pn-item ch-paragraph ch-${p.change}`} data-paragraph-id={p.id} data-change={p.change}>
            <p class="pn-item-head">
              <span class="pn-badge">{CHANGE_LABELS[p.change]}</span> {p.ref ?? ""}
            </p>
            <p class="pn-diff-block">
              {p.runs.map((run, i) => (
                <Run key={i} run={run} authors={authors} />
              ))}
            </p>
            {p.attributes.length > 0 && (
              <ul class="ch-attributes">
                {p.attributes.map((a) => (
                  <Attribute key={a.name} change={a} authors={authors} />
                ))}
              </ul>
            )}
          </li>
        ))}
      </ol>
    </div>
  );
}
