/**
 * The status panel: how far each paragraph is agreed (counts of white, yellow, green and
 * ad ref; the agreed paragraphs with who agreed them and when) and, for a chair, the form
 * to set a paragraph's status. The statuses come from the status feature's own route.
 */
import type { JSX } from "preact";
import { useEffect, useState } from "preact/hooks";
import { chairsDocument, FROZEN_STATES } from "../../schema/roles.js";
import { isAgreed } from "../../schema/status.js";
import type { DocumentInfo, Panel, PanelContext } from "./context.js";
import {
  ProblemNotice,
  mountComponent,
  ParagraphOptions,
  paragraphLabel,
  SelectField,
  useAction,
  useCanonical,
  useDocument,
  useLoaded,
  useParagraphChoices,
  useUniqueId,
  when,
} from "./ui/common.js";
import { useSelection } from "./ui/selection.js";
import { PARAGRAPH_STATUSES, type CanonicalDocument, type ParagraphStatus, type ParagraphStatusInfo } from "./ui/types.js";
import { t, formatNumber } from "../i18n/index.js";
import type { BodyInfo } from "../../schema/api/meetings.js";

const STATUS_LABELS: Record<ParagraphStatus, string> = {
  white: t("status.white"),
  yellow: t("status.yellow"),
  green: t("status.green"),
  ad_ref: t("status.ad_ref"),
};

const COUNT_WORDS: Record<ParagraphStatus, string> = {
  white: t("status.word.white"),
  yellow: t("status.word.yellow"),
  green: t("status.word.green"),
  ad_ref: t("status.word.ad_ref"),
};

/** The chair's form: a paragraph (the selected one by default) and the status to give it. */
function StatusForm({
  ctx,
  doc,
  canonical,
  statuses,
  plenaryChair,
  onChanged,
}: {
  ctx: PanelContext;
  doc: DocumentInfo;
  canonical: CanonicalDocument;
  /** Each paragraph's status (white when absent). */
  statuses: Map<string, ParagraphStatus>;
  /** Whether the user chairs the plenary (only they give or take back green). */
  plenaryChair: boolean;
  onChanged: () => void;
}): JSX.Element {
  const selection = useSelection(ctx);
  const choices = useParagraphChoices(canonical);
  const action = useAction(ctx);
  const [paragraph, setParagraph] = useState("");
  const [status, setStatus] = useState<ParagraphStatus>("yellow");
  const id = useUniqueId("status");
  useEffect(() => {
    if (selection) setParagraph(selection.paragraphId);
  }, [selection?.paragraphId]);
  const current: ParagraphStatus = statuses.get(paragraph) ?? "white";
  // Green is the plenary's: only its chair gives it or takes it back.
  const offered = PARAGRAPH_STATUSES.filter((st) => plenaryChair || st !== "green");
  const locked = current === "green" && !plenaryChair;
  return (
    <div class="pn-tools">
      <form
        class="pn-form pn-inline"
        aria-label={t("status.form")}
        onSubmit={(e) => {
          e.preventDefault();
          if (!paragraph) return;
          void action.run(async () => {
            await ctx.api.put(`/api/documents/${doc.id}/paragraphs/${paragraph}/status`, { status });
            onChanged();
          }, t("status.set", { paragraph: paragraphLabel(canonical, paragraph), status: COUNT_WORDS[status] }));
        }}
      >
        <SelectField id={`${id}-p`} label={t("content.paragraph")} value={paragraph} onChange={setParagraph}>
          <option value="">{t("panel.choose")}</option>
          <ParagraphOptions choices={choices} />
        </SelectField>
        <SelectField id={`${id}-s`} label={t("status.status")} value={status} onChange={(v) => setStatus(v as ParagraphStatus)}>
          {offered.map((s) => (
            <option key={s} value={s}>
              {STATUS_LABELS[s]}
            </option>
          ))}
        </SelectField>
        <button type="submit" disabled={action.busy || !paragraph || locked || status === current}>
          {t("status.setButton")}
        </button>
        {paragraph && (
          <span class="pn-hint" aria-live="polite">
            {t("status.now", { status: STATUS_LABELS[current] })}
            {locked ? ` — ${t("status.plenaryOnly")}` : ""}
          </span>
        )}
      </form>
      <ProblemNotice problem={action.problem} />
    </div>
  );
}

function StatusView({ ctx }: { ctx: PanelContext }): JSX.Element {
  const doc = useDocument(ctx);
  const canonical = useCanonical(ctx);
  const list = useLoaded(ctx, () => ctx.api.get<ParagraphStatusInfo[]>(`/api/documents/${doc.id}/paragraph-statuses`), ["paragraph.", "amendment.", "bracket."], [doc.id]);
  const bodies = useLoaded(ctx, () => ctx.api.get<BodyInfo[]>(`/api/meetings/${doc.meetingId}/bodies`), [], [doc.meetingId]);
  const plenaryChair = ctx.user.role === "secretariat" || (bodies.data ?? []).some((b) => b.kind === "plenary" && ctx.user.chairOf.includes(b.id));
  const chair = (chairsDocument(ctx.user, doc) || plenaryChair) && !FROZEN_STATES.has(doc.state);
  const rows = list.data ?? [];
  const statuses = new Map(rows.map((st) => [st.paragraphId, st.status]));
  const agreed = rows.filter((st) => isAgreed(st.status));
  return (
    <section class="pn-panel pn-status">
      <ProblemNotice problem={list.problem} />
      <p class="pn-meta" data-status-counts>
        {list.data === null
          ? t("status.loading")
          : t("status.counts", { counts: PARAGRAPH_STATUSES.map((st) => `${formatNumber(rows.filter((x) => x.status === st).length)} ${COUNT_WORDS[st]}`).join(", ") })}
      </p>
      {chair && <StatusForm ctx={ctx} doc={doc} canonical={canonical} statuses={statuses} plenaryChair={plenaryChair} onChanged={() => void list.reload()} />}
      <h3 class="pn-subhead">{t("status.agreed")}</h3>
      {list.data !== null && agreed.length === 0 && <p class="pn-hint">{t("status.noneAgreed")}</p>}
      <ol class="pn-list" data-agreed-paragraphs>
        {agreed.map((st) => (
          <li key={st.paragraphId} class="pn-item" data-paragraph-id={st.paragraphId} data-status={st.status}>
            <div class="pn-item-head">
              <button type="button" class="pn-link" title={t("panel.showInText")} onClick={() => ctx.view.scrollToParagraph(st.paragraphId)}>
                {st.ref ?? paragraphLabel(canonical, st.paragraphId)}
              </button>
              <span class={`pn-badge pn-status-${st.status}`}>{COUNT_WORDS[st.status]}</span>
            </div>
            <p class="pn-meta">
              {STATUS_LABELS[st.status]}
              {st.setBy ? ` — ${t("status.by", { name: st.setBy })}` : ""}
              {st.setAt ? `, ${when(st.setAt)}` : ""}
            </p>
          </li>
        ))}
      </ol>
    </section>
  );
}

/** The status panel of the document page: paragraph statuses and, for a chair, setting one. */
export const statusPanel: Panel = {
  id: "status",
  title: t("status.panel"),
  mount: (el, ctx) => mountComponent(el, <StatusView ctx={ctx} />),
};
