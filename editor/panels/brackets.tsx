/**
 * The brackets panel: the bracket register (open brackets by paragraph and by holder, the
 * counts, whether the text is clean), the clean text and the compilation text, and the
 * negotiation on brackets — bracket the selection, add an option, join or lift one's own
 * delegation's hold, resolve (chair). The register's holders come from the server; the
 * spans from the live text. Paragraph status has its own panel (status.tsx).
 */
import type { JSX } from "preact";
import { useState } from "preact/hooks";
import { chairsDocument, FROZEN_STATES, textWriteDenial } from "../../schema/roles.js";
import { typedBracketExcerpt, typedBracketsIn } from "../../schema/typed-brackets.js";
import type { DocumentInfo, Panel, PanelContext } from "./context.js";
import { Field, ProblemNotice, SelectField, mountComponent, paragraphLabel, useAction, useCanonical, useDocument, useLoaded, useUniqueId } from "./ui/common.js";
import { useSelection } from "./ui/selection.js";
import type { Annotation, Bracket, BracketHolders, BracketRegister, CanonicalDocument, TypedBracket } from "./ui/types.js";
import { t, formatNumber } from "../i18n/index.js";

const TABS = ["register", "clean", "compilation"] as const;
type Tab = (typeof TABS)[number];
const RESOLVED = { keep: t("brackets.resolved.keep"), delete: t("brackets.resolved.delete"), choose: t("brackets.resolved.choose") } as const;
const TAB_LABELS: Record<Tab, string> = { register: t("brackets.panel"), clean: t("brackets.clean"), compilation: t("brackets.compilation") };

/** A piece of a paragraph's text and the open brackets that start or end around it. */
interface Segment {
  text: string;
  opens: string[];
  closes: string[];
  inside: number;
}

/** Splits a paragraph's text at bracket boundaries so brackets can be drawn or dropped. */
function segments(text: string, spans: ReadonlyArray<{ id: string; from: number; to: number }>): Segment[] {
  const cuts = new Set<number>([0, text.length]);
  for (const s of spans) {
    cuts.add(s.from);
    cuts.add(s.to);
  }
  const points = [...cuts].sort((a, b) => a - b);
  const out: Segment[] = [];
  for (let i = 0; i < points.length; i++) {
    const at = points[i]!;
    const next = points[i + 1];
    out.push({
      text: next === undefined ? "" : text.slice(at, next),
      opens: spans.filter((s) => s.from === at && (next !== undefined || s.to === at)).map((s) => s.id),
      closes: spans.filter((s) => s.to === at && s.from !== at).map((s) => s.id),
      inside: next === undefined ? 0 : spans.filter((s) => s.from <= at && s.to >= next && s.to > s.from).length,
    });
  }
  return out;
}

/** The compilation text: every paragraph with its brackets drawn and their holders named. */
function CompilationText({ canonical, holders }: { canonical: CanonicalDocument; holders: Map<string, string[]> }): JSX.Element {
  return (
    <article class="pn-official" aria-label={t("brackets.compilation")}>
      {canonical.paragraphs.map((p) => (
        <p key={p.id} class={`pn-official-${p.kind} pn-level-${p.level}`}>
          {p.ref && <span class="pn-ref">{p.ref}</span>}
          {segments(p.text, p.brackets).map((seg, i) => (
            <span key={i}>
              {seg.closes.map((id) => (
                <span key={`c${id}`} class="pn-bracket-glyph">
                  ]<sup class="pn-holders">{(holders.get(id) ?? []).join(", ")}</sup>
                </span>
              ))}
              {seg.opens.map((id) => (
                <span key={`o${id}`} class="pn-bracket-glyph">
                  [
                </span>
              ))}
              {seg.text}
            </span>
          ))}
        </p>
      ))}
    </article>
  );
}

/**
 * The separators between a paragraph's alternatives ("[a] / [b]"): the text from one option's
 * end to the next option's start in the same group. They are text, but they belong to the
 * group and go with it, as choosing an option deletes them.
 */
function separatorsOf(spans: ReadonlyArray<{ group: string | null; from: number; to: number }>): Array<{ id: string; from: number; to: number }> {
  const byGroup = new Map<string, Array<{ from: number; to: number }>>();
  for (const s of spans) if (s.group !== null) byGroup.set(s.group, [...(byGroup.get(s.group) ?? []), s]);
  return [...byGroup].flatMap(([group, options]) =>
    options
      .sort((a, b) => a.from - b.from)
      .flatMap((a, i) => {
        const b = options[i + 1];
        return b && a.to < b.from ? [{ id: `separator:${group}:${i}`, from: a.to, to: b.from }] : [];
      }),
  );
}

/** The clean text: only what is agreed, every bracketed passage (and the separators between alternatives) left out and marked as such. */
function CleanText({ canonical }: { canonical: CanonicalDocument }): JSX.Element {
  return (
    <article class="pn-official" aria-label={t("brackets.clean")}>
      {canonical.paragraphs.map((p) => {
        const parts = segments(p.text, [...p.brackets, ...separatorsOf(p.brackets)]);
        const omitted = p.brackets.length;
        const text = parts
          .filter((s) => s.inside === 0)
          .map((s) => s.text)
          .join("")
          .replace(/\s{2,}/g, " ")
          // As the server deletes a passage: no space left before punctuation.
          .replace(/\s+([.,;:!?)\]])/g, "$1")
          .trim();
        return (
          <p key={p.id} class={`pn-official-${p.kind} pn-level-${p.level}`}>
            {p.ref && <span class="pn-ref">{p.ref}</span>}
            {text}
            {omitted > 0 && <span class="pn-hint"> {t("brackets.omitted", { count: omitted, n: formatNumber(omitted) })}</span>}
          </p>
        );
      })}
    </article>
  );
}

/** One open bracket with what this user may do to it. */
function BracketItem({
  ctx,
  doc,
  bracket,
  groupHolders,
  canonical,
  groups,
  onChanged,
}: {
  ctx: PanelContext;
  doc: DocumentInfo;
  bracket: Bracket;
  /** The groups of the meeting (EU, G77…) a delegate may hold or support a bracket for. */
  groups: string[];
  /** Holders of every open option of its group (the chair resolves a group as a whole). */
  groupHolders: string[];
  canonical: CanonicalDocument;
  onChanged: () => void;
}): JSX.Element {
  const action = useAction(ctx);
  const [optionText, setOptionText] = useState("");
  const [addingOption, setAddingOption] = useState(false);
  const [reason, setReason] = useState("");
  const [group, setGroup] = useState("");
  const id = useUniqueId("bracket");
  const b = bracket;
  const supporters = b.supporters;
  const wholeParagraphs = b.scope === "paragraphs";
  // Holds belong to delegations: only a delegate, speaking for one, opens, joins, lifts or adds options.
  const delegation = ctx.user.role === "delegate" ? ctx.user.delegation : null;
  const supports = delegation !== null && supporters.includes(delegation);
  const writable = textWriteDenial(ctx.user, doc) === null && (doc.state === "draft" || doc.state === "negotiation");
  const holds = delegation !== null && b.holders.includes(delegation);
  const chair = chairsDocument(ctx.user, doc);
  const holdersRemain = groupHolders.length > 0;
  const act = (run: () => Promise<unknown>, done: string) =>
    void action.run(async () => {
      await run();
      onChanged();
    }, done);
  const resolve = (how: "keep" | "delete" | "choose") =>
    act(() => ctx.api.post(`/api/brackets/${b.id}/resolution`, reason.trim() ? { action: how, reason: reason.trim() } : { action: how }), RESOLVED[how]);

  return (
    <li class="pn-item pn-bracket" data-bracket-id={b.id}>
      <div class="pn-item-head">
        <button type="button" class="pn-link" title={t("panel.showInText")} onClick={() => ctx.view.scrollToParagraph(b.paragraphId)}>
          {b.label ? `${b.label} · ` : ""}
          {b.paragraphRef ?? paragraphLabel(canonical, b.paragraphId)}
        </button>
        {b.optionLabel ? <span class="pn-badge">{b.optionLabel}</span> : b.group && <span class="pn-badge">{t("brackets.option")}</span>}
        {wholeParagraphs && <span class="pn-badge">{t("brackets.wholeParagraphs", { refs: b.paragraphRefs.filter(Boolean).join("–") })}</span>}
      </div>
      <p class="pn-bracket-text">
        <span class="pn-bracket-glyph">[</span>
        {b.text}
        <span class="pn-bracket-glyph">]</span>
      </p>
      <p class="pn-meta">{b.holders.length > 0 ? t("brackets.heldBy", { holders: b.holders.join(", ") }) : t("brackets.heldByNobody")}</p>
      {supporters.length > 0 && (
        <p class="pn-meta" data-supporters>
          {t("brackets.supportedByMeta", { supporters: supporters.join(", ") })}
        </p>
      )}
      <div class="pn-actions">
        {writable && delegation && !holds && (
          <button type="button" disabled={action.busy} onClick={() => act(() => ctx.api.post(`/api/brackets/${b.id}/holders`), t("brackets.holds", { delegation }))}>
            {t("brackets.join")}
          </button>
        )}
        {delegation && holds && !FROZEN_STATES.has(doc.state) && (
          <button type="button" disabled={action.busy} onClick={() => act(() => ctx.api.delete(`/api/brackets/${b.id}/holders`), t("brackets.lifted", { delegation }))}>
            {t("brackets.lift", { delegation })}
          </button>
        )}
        {writable && delegation && !holds && !supports && (
          <button type="button" disabled={action.busy} onClick={() => act(() => ctx.api.post(`/api/brackets/${b.id}/supporters`), t("brackets.supportRecorded", { code: delegation }))}>
            {t("brackets.support")}
          </button>
        )}
        {delegation && supports && !FROZEN_STATES.has(doc.state) && (
          <button type="button" disabled={action.busy} onClick={() => act(() => ctx.api.delete(`/api/brackets/${b.id}/supporters`), t("brackets.supportWithdrawn", { code: delegation }))}>
            {t("brackets.withdrawSupport", { code: delegation })}
          </button>
        )}
        {delegation &&
          !FROZEN_STATES.has(doc.state) &&
          b.holders
            .filter((h) => groups.includes(h))
            .map((h) => (
              <button key={h} type="button" disabled={action.busy} onClick={() => act(() => ctx.api.delete(`/api/brackets/${b.id}/holders`, { delegation: h }), t("brackets.groupHoldLifted", { code: h }))}>
                {t("brackets.liftGroupHold", { code: h })}
              </button>
            ))}
        {writable && delegation && (
          <button type="button" aria-expanded={addingOption} onClick={() => setAddingOption(!addingOption)}>
            {t("brackets.addOption")}…
          </button>
        )}
      </div>
      {writable && delegation && groups.filter((g) => !b.holders.includes(g)).length > 0 && (
        <div class="pn-actions" data-group-hold>
          <SelectField id={`${id}-group`} label={t("brackets.groupLabel")} value={group} onChange={setGroup}>
            <option value="">—</option>
            {groups
              .filter((g) => !b.holders.includes(g))
              .map((g) => (
                <option key={g} value={g}>
                  {g}
                </option>
              ))}
          </SelectField>
          <button type="button" disabled={action.busy || !group} onClick={() => act(() => ctx.api.post(`/api/brackets/${b.id}/holders`, { holder: group }), t("brackets.groupHoldRecorded", { code: group }))}>
            {t("brackets.holdForGroup")}
          </button>
        </div>
      )}
      {addingOption && (
        <form
          class="pn-form"
          onSubmit={(e) => {
            e.preventDefault();
            act(async () => {
              const paragraphs = optionText.split("\n").map((line) => line.trim()).filter(Boolean);
              await ctx.api.post(`/api/brackets/${b.id}/options`, wholeParagraphs ? { paragraphs } : { text: optionText });
              setOptionText("");
              setAddingOption(false);
            }, t("brackets.optionAdded"));
          }}
        >
          {wholeParagraphs ? (
            <Field id={`${id}-opt`} label={t("brackets.optionParagraphs")}>
              <textarea id={`${id}-opt`} value={optionText} required onInput={(e) => setOptionText(e.currentTarget.value)} />
            </Field>
          ) : (
            <Field id={`${id}-opt`} label={t("brackets.alternative")}>
              <input id={`${id}-opt`} value={optionText} required onInput={(e) => setOptionText(e.currentTarget.value)} />
            </Field>
          )}
          <button type="submit" class="pn-primary" disabled={action.busy || !optionText.trim()}>
            {t("brackets.addOption")}
          </button>
          {wholeParagraphs && (
            <button
              type="button"
              disabled={action.busy}
              onClick={() =>
                act(async () => {
                  await ctx.api.post(`/api/brackets/${b.id}/options`, { noText: true });
                  setAddingOption(false);
                }, t("brackets.optionAdded"))
              }
            >
              {t("brackets.addNoText")}
            </button>
          )}
        </form>
      )}
      {chair && !FROZEN_STATES.has(doc.state) && (
        <div class="pn-resolve">
          {holdersRemain && (
            <Field id={`${id}-reason`} label={t("brackets.reasonOver", { holders: groupHolders.join(", ") })} hint={b.group ? t("brackets.reasonGroup") : t("brackets.reasonHeld")}>
              <input id={`${id}-reason`} value={reason} onInput={(e) => setReason(e.currentTarget.value)} />
            </Field>
          )}
          <div class="pn-actions" role="group" aria-label={t("brackets.resolve")}>
            {b.group ? (
              <button type="button" disabled={action.busy || (holdersRemain && !reason.trim())} onClick={() => resolve("choose")}>
                {t("brackets.choose")}
              </button>
            ) : (
              <button type="button" disabled={action.busy || (holdersRemain && !reason.trim())} onClick={() => resolve("keep")}>
                {t("brackets.keep")}
              </button>
            )}
            <button type="button" disabled={action.busy || (holdersRemain && !reason.trim())} onClick={() => resolve("delete")}>
              {t("brackets.delete")}
            </button>
          </div>
        </div>
      )}
      <ProblemNotice problem={action.problem} />
    </li>
  );
}

/**
 * A typed "[" or "]": text that looks bracketed but that no bracket tracks. It blocks
 * agreement; the chair converts a typed pair into a real bracket (held by nobody until a
 * delegation joins), a lone one can only be removed by editing the text.
 */
function TypedBracketItem({ ctx, doc, typed, canonical, onChanged }: { ctx: PanelContext; doc: DocumentInfo; typed: TypedBracket; canonical: CanonicalDocument; onChanged: () => void }): JSX.Element {
  const action = useAction(ctx);
  const chair = chairsDocument(ctx.user, doc) && (doc.state === "draft" || doc.state === "negotiation");
  const convert = () =>
    void action.run(async () => {
      await ctx.api.post(`/api/documents/${doc.id}/brackets/typed`, { paragraphId: typed.paragraphId, offset: typed.offset });
      onChanged();
    }, t("brackets.converted"));
  return (
    <li class="pn-item pn-typed-bracket" data-typed-bracket={`${typed.paragraphId}:${typed.offset}`}>
      <div class="pn-item-head">
        <button type="button" class="pn-link" title={t("panel.showInText")} onClick={() => ctx.view.scrollToParagraph(typed.paragraphId)}>
          {typed.paragraphRef ?? paragraphLabel(canonical, typed.paragraphId)}
        </button>
        <span class="pn-badge">{t("brackets.typed")}</span>
      </div>
      <p class="pn-bracket-text">{typed.excerpt}</p>
      <p class="pn-meta">{typed.close === null ? t("brackets.lone") : t("brackets.typedPair")}</p>
      {chair && typed.close !== null && (
        <div class="pn-actions">
          <button type="button" disabled={action.busy} onClick={convert}>
            {t("brackets.convert")}
          </button>
        </div>
      )}
    </li>
  );
}

/** Bracketing the selection, for a delegate speaking for a delegation while the text is open. */
function SelectionTools({ ctx, doc, canonical, onChanged }: { ctx: PanelContext; doc: DocumentInfo; canonical: CanonicalDocument; onChanged: () => void }): JSX.Element | null {
  const selection = useSelection(ctx);
  const action = useAction(ctx);
  const writable = textWriteDenial(ctx.user, doc) === null && (doc.state === "draft" || doc.state === "negotiation");
  const mayBracket = writable && ctx.user.role === "delegate" && ctx.user.delegation !== null;
  if (!mayBracket) return null;
  const hasSpan = selection !== null && selection.to > selection.from;
  return (
    <div class="pn-tools">
      <div class="pn-actions">
        <button
          type="button"
          class="pn-primary"
          disabled={action.busy || !hasSpan}
          onClick={() => {
            const s = ctx.view.selection() ?? selection;
            if (!s || s.to <= s.from) return;
            void action.run(async () => {
              await ctx.api.post(`/api/documents/${doc.id}/brackets`, { paragraphId: s.paragraphId, from: s.from, to: s.to });
              onChanged();
            }, t("brackets.opened", { paragraph: paragraphLabel(canonical, s.paragraphId) }));
          }}
        >
          {t("brackets.bracketSelection")}
        </button>
        <button
          type="button"
          disabled={action.busy}
          data-bracket-paragraphs
          onClick={() => {
            const ids = ctx.view.selectedParagraphs();
            if (ids.length === 0) return;
            void action.run(async () => {
              await ctx.api.post(`/api/documents/${doc.id}/brackets`, { paragraphIds: ids });
              onChanged();
            }, t("brackets.paragraphsOpened", { count: ids.length }));
          }}
        >
          {t("brackets.bracketParagraphs")}
        </button>
        <span class="pn-hint" aria-live="polite">
          {hasSpan
            ? t("brackets.selectionIn", { text: selection.text.length > 40 ? `${selection.text.slice(0, 40)}…` : selection.text, paragraph: paragraphLabel(canonical, selection.paragraphId) })
            : t("brackets.selectWords")}
        </span>
      </div>
      <ProblemNotice problem={action.problem} />
    </div>
  );
}

/**
 * Paragraph annotations: "[Agreed ad ref]" and facilitator's notes, printed beside a
 * paragraph but no part of its text. Everyone sees them; the chair (or the secretariat)
 * adds them to the paragraph of the caret and removes them.
 */
function Annotations({ ctx, doc, canonical }: { ctx: PanelContext; doc: DocumentInfo; canonical: CanonicalDocument }): JSX.Element {
  const list = useLoaded(ctx, () => ctx.api.get<Annotation[]>(`/api/documents/${doc.id}/annotations`), ["annotation."], [doc.id]);
  const action = useAction(ctx);
  const id = useUniqueId("annotation");
  const [kind, setKind] = useState<Annotation["kind"]>("facilitator");
  const [text, setText] = useState("");
  const chair = chairsDocument(ctx.user, doc) && !FROZEN_STATES.has(doc.state);
  const kinds: Record<Annotation["kind"], string> = { agreed_ad_ref: t("brackets.annotationAdRef"), facilitator: t("brackets.annotationFacilitator") };
  const annotations = list.data ?? [];
  return (
    <div class="pn-annotations" data-annotations>
      <h3 class="pn-subhead">{t("brackets.annotations")}</h3>
      <ProblemNotice problem={list.problem} />
      <ol class="pn-list">
        {annotations.map((a) => (
          <li key={a.id} class="pn-item" data-annotation={a.kind}>
            <button type="button" class="pn-link" onClick={() => ctx.view.scrollToParagraph(a.paragraphId)}>
              {a.paragraphRef ?? paragraphLabel(canonical, a.paragraphId)}
            </button>{" "}
            <em>{a.kind === "facilitator" ? `{${a.text}}` : `[${a.text}]`}</em>
            {chair && (
              <button
                type="button"
                disabled={action.busy}
                onClick={() =>
                  void action.run(async () => {
                    await ctx.api.delete(`/api/documents/${doc.id}/annotations/${a.id}`);
                    void list.reload();
                  }, t("brackets.annotationRemoved"))
                }
              >
                {t("brackets.removeAnnotation")}
              </button>
            )}
          </li>
        ))}
      </ol>
      {chair && (
        <form
          class="pn-form"
          onSubmit={(e) => {
            e.preventDefault();
            const paragraphId = ctx.view.selectedParagraphs()[0];
            if (!paragraphId) return;
            void action.run(async () => {
              await ctx.api.post(`/api/documents/${doc.id}/paragraphs/${paragraphId}/annotations`, kind === "facilitator" ? { kind, text } : { kind });
              setText("");
              void list.reload();
            }, t("brackets.annotationAdded"));
          }}
        >
          <SelectField id={`${id}-kind`} label={t("brackets.annotationKind")} value={kind} onChange={(v) => setKind(v as Annotation["kind"])}>
            {(Object.keys(kinds) as Array<Annotation["kind"]>).map((k) => (
              <option key={k} value={k}>
                {kinds[k]}
              </option>
            ))}
          </SelectField>
          {kind === "facilitator" && (
            <Field id={`${id}-text`} label={t("brackets.annotationText")}>
              <input id={`${id}-text`} value={text} required onInput={(e) => setText(e.currentTarget.value)} />
            </Field>
          )}
          <button type="submit" disabled={action.busy || (kind === "facilitator" && !text.trim())}>
            {t("brackets.addAnnotation")}
          </button>
        </form>
      )}
      <ProblemNotice problem={action.problem} />
    </div>
  );
}

function RegisterView({ ctx }: { ctx: PanelContext }): JSX.Element {
  const doc = useDocument(ctx);
  const canonical = useCanonical(ctx);
  const [tab, setTab] = useState<Tab>("register");
  const id = useUniqueId("register");
  const register = useLoaded(ctx, () => ctx.api.get<BracketRegister>(`/api/documents/${doc.id}/brackets`), ["bracket.", "amendment.", "document.transitioned"], [doc.id]);
  const holderCodes = useLoaded(ctx, () => ctx.api.get<BracketHolders>(`/api/meetings/${doc.meetingId}/bracket-holders`), [], [doc.meetingId]);
  const groups = holderCodes.data?.groups ?? [];
  const open = (register.data?.brackets ?? []).filter((b) => b.state === "open");
  // From the live text, so that a "[" shows here as it is typed or pasted (the server judges the same way).
  const typed: TypedBracket[] = canonical.paragraphs.flatMap((p) =>
    typedBracketsIn(p.text).map((t) => ({ paragraphId: p.id, paragraphRef: p.ref, offset: t.offset, close: t.close, excerpt: typedBracketExcerpt(p.text, t.offset, t.close) })),
  );
  const holders = new Map(open.map((b) => [b.id, b.holders]));
  const order = new Map(canonical.paragraphs.map((p, i) => [p.id, i]));
  const byParagraph = [...open].sort((a, b) => (order.get(a.paragraphId) ?? 1e9) - (order.get(b.paragraphId) ?? 1e9));
  const byHolder = new Map<string, number>();
  for (const b of open) for (const h of b.holders) byHolder.set(h, (byHolder.get(h) ?? 0) + 1);
  const paragraphsWithBrackets = new Set(open.map((b) => b.paragraphId)).size;
  const groupHolders = (b: Bracket): string[] =>
    b.group ? [...new Set(open.filter((o) => o.group === b.group).flatMap((o) => o.holders))] : b.holders;

  return (
    <section class="pn-panel pn-brackets">
      <div class="pn-tabs" role="tablist" aria-label={t("brackets.views")}>
        {TABS.map((t, i) => (
          <button
            key={t}
            type="button"
            role="tab"
            id={`${id}-tab-${t}`}
            aria-controls={`${id}-view`}
            aria-selected={tab === t}
            tabIndex={tab === t ? 0 : -1}
            class={tab === t ? "pn-tab pn-tab-on" : "pn-tab"}
            onClick={() => setTab(t)}
            onKeyDown={(e) => {
              // Arrow keys move between the views (the WAI-ARIA tabs pattern).
              const delta = e.key === "ArrowRight" ? 1 : e.key === "ArrowLeft" ? -1 : 0;
              if (!delta) return;
              e.preventDefault();
              const next = TABS[(i + delta + TABS.length) % TABS.length]!;
              setTab(next);
              document.getElementById(`${id}-tab-${next}`)?.focus();
            }}
          >
            {TAB_LABELS[t]}
          </button>
        ))}
      </div>
      <ProblemNotice problem={register.problem} />
      {tab === "register" && (
        <div role="tabpanel" id={`${id}-view`} aria-labelledby={`${id}-tab-register`}>
          <p class={register.data?.clean ? "pn-clean pn-ok" : "pn-clean"} aria-live="polite" data-clean={String(register.data?.clean ?? false)}>
            {register.data === null
              ? t("brackets.loading")
              : register.data.clean
                ? t("brackets.isClean")
                : `${t("brackets.openCount", { count: open.length, n: formatNumber(open.length) })} ${t("brackets.inParagraphs", { count: paragraphsWithBrackets, n: formatNumber(paragraphsWithBrackets) })}${typed.length ? `; ${t("brackets.typedCount", { count: typed.length, n: formatNumber(typed.length) })}` : ""}.`}
          </p>
          <SelectionTools ctx={ctx} doc={doc} canonical={canonical} onChanged={() => void register.reload()} />
          {byHolder.size > 0 && (
            <table class="pn-table">
              <caption>{t("brackets.byHolder")}</caption>
              <thead>
                <tr>
                  <th scope="col">{t("members.delegation")}</th>
                  <th scope="col">{t("brackets.held")}</th>
                </tr>
              </thead>
              <tbody>
                {[...byHolder.entries()]
                  .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
                  .map(([h, n]) => (
                    <tr key={h}>
                      <td>{h}</td>
                      <td>{n}</td>
                    </tr>
                  ))}
              </tbody>
            </table>
          )}
          {typed.length > 0 && (
            <>
              <h3 class="pn-subhead">{t("brackets.typedHeading")}</h3>
              <ol class="pn-list" data-typed-brackets>
                {typed.map((t) => (
                  <TypedBracketItem key={`${t.paragraphId}:${t.offset}`} ctx={ctx} doc={doc} typed={t} canonical={canonical} onChanged={() => void register.reload()} />
                ))}
              </ol>
            </>
          )}
          <h3 class="pn-subhead">{t("brackets.byParagraph")}</h3>
          <ol class="pn-list">
            {byParagraph.map((b) => (
              <BracketItem key={b.id} ctx={ctx} doc={doc} bracket={b} groupHolders={groupHolders(b)} canonical={canonical} groups={groups} onChanged={() => void register.reload()} />
            ))}
          </ol>
          <Annotations ctx={ctx} doc={doc} canonical={canonical} />
        </div>
      )}
      {tab === "clean" && (
        <div role="tabpanel" id={`${id}-view`} aria-labelledby={`${id}-tab-clean`}>
          <CleanText canonical={canonical} />
        </div>
      )}
      {tab === "compilation" && (
        <div role="tabpanel" id={`${id}-view`} aria-labelledby={`${id}-tab-compilation`}>
          <CompilationText canonical={canonical} holders={holders} />
        </div>
      )}
    </section>
  );
}

/** The brackets panel of the document page: the register and the derived texts. */
export const bracketsPanel: Panel = {
  id: "brackets",
  title: t("brackets.panel"),
  mount: (el, ctx) => mountComponent(el, <RegisterView ctx={ctx} />),
};
