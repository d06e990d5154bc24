/**
 * The recommendations panel. Civil society (observers) cannot change the text, but may
 * deliver recommendations to the chair: a text, its rationale, and optionally the
 * paragraph it concerns. Delegations may offer to sponsor one; the chair of the owning
 * body (or of the plenary) turns it into an amendment on the table in the name of a
 * delegation that offered to carry it.
 */
import type { JSX } from "preact";
import { useState } from "preact/hooks";
import { chairsDocument, FROZEN_STATES } from "../../schema/roles.js";
import type { DocumentInfo, Panel, PanelContext } from "./context.js";
import {
  Field,
  ProblemNotice,
  StateBadge,
  mountComponent,
  ParagraphOptions,
  paragraphLabel,
  useAction,
  useCanonical,
  useDocument,
  useLoaded,
  useParagraphChoices,
  useUniqueId,
  when,
  SelectField,
} from "./ui/common.js";
import type { AmendmentOperation, CanonicalDocument, Recommendation } from "./ui/types.js";
import { stateLabel, t } from "../i18n/index.js";
import type { BodyInfo } from "../../schema/api/meetings.js";

/** The observer's form: text, rationale, optional paragraph (preselected from the cursor). */
function SubmitForm({ ctx, doc, canonical, onDone }: { ctx: PanelContext; doc: DocumentInfo; canonical: CanonicalDocument; onDone: () => void }): JSX.Element {
  const choices = useParagraphChoices(canonical);
  // Preselect the paragraph of the cursor, if it is one that can be cited (not the title).
  const selected = ctx.view.selection();
  const [paragraphId, setParagraphId] = useState(selected && choices.some((c) => c.id === selected.paragraphId) ? selected.paragraphId : "");
  const [text, setText] = useState("");
  const [rationale, setRationale] = useState("");
  const action = useAction(ctx);
  const id = useUniqueId("recommend");
  return (
    <form
      class="pn-form"
      aria-label={t("rec.submitForm")}
      onSubmit={(e) => {
        e.preventDefault();
        void action.run(async () => {
          const body: Record<string, unknown> = { text: text.trim(), rationale: rationale.trim() };
          if (paragraphId) body.paragraphId = paragraphId;
          await ctx.api.post(`/api/documents/${doc.id}/recommendations`, body);
          setText("");
          setRationale("");
          onDone();
        }, t("rec.delivered"));
      }}
    >
      <SelectField id={`${id}-para`} label={t("rec.concerning")} value={paragraphId} onChange={setParagraphId}>
        <option value="">{t("rec.wholeDocument")}</option>
        <ParagraphOptions choices={choices} />
      </SelectField>
      <Field id={`${id}-text`} label={t("rec.recommendation")}>
        <textarea id={`${id}-text`} rows={4} value={text} required onInput={(e) => setText(e.currentTarget.value)} />
      </Field>
      <Field id={`${id}-why`} label={t("rec.rationale")}>
        <textarea id={`${id}-why`} rows={2} value={rationale} onInput={(e) => setRationale(e.currentTarget.value)} />
      </Field>
      <ProblemNotice problem={action.problem} />
      <button type="submit" class="pn-primary" disabled={action.busy || !text.trim()}>
        {t("rec.submit")}
      </button>
    </form>
  );
}

/** One recommendation; a delegate may offer to sponsor it, the chair may turn it into an amendment. */
function RecommendationItem({
  ctx,
  doc,
  item,
  canonical,
  mayConvert,
  onChanged,
}: {
  ctx: PanelContext;
  doc: DocumentInfo;
  item: Recommendation;
  canonical: CanonicalDocument;
  mayConvert: boolean;
  onChanged: () => void;
}): JSX.Element {
  const action = useAction(ctx);
  const offers = item.sponsorsOffered;
  const [sponsor, setSponsor] = useState(offers[0] ?? "");
  const [operation, setOperation] = useState<AmendmentOperation>("replace");
  const [paragraphId, setParagraphId] = useState(item.paragraphId ?? "");
  const choices = useParagraphChoices(canonical);
  const id = useUniqueId("rec");
  const amendable = doc.state === "draft" || doc.state === "negotiation";
  const submitted = item.state !== "converted" && !item.amendmentId;
  const delegation = ctx.user.role === "delegate" ? ctx.user.delegation : null;
  const offered = delegation !== null && offers.includes(delegation);
  const chosenSponsor = sponsor || offers[0] || "";
  const act = (run: () => Promise<unknown>, done: string) =>
    void action.run(async () => {
      await run();
      onChanged();
    }, done);
  return (
    <li class="pn-item" data-recommendation-id={item.id}>
      <div class="pn-item-head">
        {item.paragraphId ? (
          <button type="button" class="pn-link" onClick={() => ctx.view.scrollToParagraph(item.paragraphId!)}>
            {item.paragraphRef ?? paragraphLabel(canonical, item.paragraphId)}
          </button>
        ) : (
          <span>{t("rec.whole")}</span>
        )}
        <StateBadge state={item.state} />
      </div>
      <p class="pn-meta">
        {item.author}, {when(item.createdAt)}
      </p>
      <p class="pn-quote">{item.text}</p>
      {item.rationale && <p class="pn-rationale">{t("rec.rationaleText", { text: item.rationale })}</p>}
      {offers.length > 0 && <p class="pn-meta">{t("rec.willing", { delegations: offers.join(", ") })}</p>}
      {!submitted && <p class="pn-hint">{t("rec.tabled")}</p>}
      {delegation && submitted && amendable && (
        <div class="pn-actions">
          {offered ? (
            <button type="button" disabled={action.busy} onClick={() => act(() => ctx.api.delete(`/api/recommendations/${item.id}/sponsors`), t("rec.offerWithdrawn", { delegation }))}>
              {t("rec.withdrawOffer", { delegation })}
            </button>
          ) : (
            <button type="button" disabled={action.busy} onClick={() => act(() => ctx.api.post(`/api/recommendations/${item.id}/sponsors`), t("rec.offered", { delegation }))}>
              {t("rec.offer")}
            </button>
          )}
        </div>
      )}
      {mayConvert && submitted && amendable && offers.length === 0 && <p class="pn-hint">{t("rec.noSponsor")}</p>}
      {mayConvert && submitted && amendable && offers.length > 0 && (
        <form
          class="pn-form pn-inline"
          aria-label={t("rec.convertForm")}
          onSubmit={(e) => {
            e.preventDefault();
            act(
              () => ctx.api.post(`/api/recommendations/${item.id}/amendment`, { sponsor: chosenSponsor, operation, ...(paragraphId ? { paragraphId } : {}) }),
              t("rec.converted", { sponsor: chosenSponsor }),
            );
          }}
        >
          <SelectField id={`${id}-sponsor`} label={t("rec.sponsor")} value={chosenSponsor} onChange={setSponsor}>
            {offers.map((d) => (
              <option key={d} value={d}>
                {d}
              </option>
            ))}
          </SelectField>
          <Field id={`${id}-para`} label={t("content.paragraph")}>
            <select id={`${id}-para`} value={paragraphId} required onChange={(e) => setParagraphId(e.currentTarget.value)}>
              <option value="">{t("panel.choose")}</option>
              <ParagraphOptions choices={choices} />
            </select>
          </Field>
          <SelectField id={`${id}-op`} label={t("rec.as")} value={operation} onChange={(v) => setOperation(v as AmendmentOperation)}>
            <option value="replace">{t("rec.op.replace")}</option>
            <option value="insert_after">{t("rec.op.insert_after")}</option>
            <option value="insert_before">{t("rec.op.insert_before")}</option>
          </SelectField>
          <button type="submit" disabled={action.busy || !paragraphId}>
            {t("rec.convert")}
          </button>
        </form>
      )}
      <ProblemNotice problem={action.problem} />
    </li>
  );
}

function RecommendationsView({ ctx }: { ctx: PanelContext }): JSX.Element {
  const doc = useDocument(ctx);
  const canonical = useCanonical(ctx);
  const list = useLoaded(ctx, () => ctx.api.get<Recommendation[]>(`/api/documents/${doc.id}/recommendations`), ["recommendation.", "amendment."], [doc.id]);
  // The chair of the owning body, or a chair of the plenary the recommendations go to, converts.
  const bodies = useLoaded(ctx, () => ctx.api.get<BodyInfo[]>(`/api/meetings/${doc.meetingId}/bodies`), [], [doc.meetingId]);
  const plenaryChair = (bodies.data ?? []).some((b) => b.kind === "plenary" && ctx.user.chairOf.includes(b.id));
  const mayConvert = chairsDocument(ctx.user, doc) || plenaryChair;
  const observer = ctx.user.role === "observer";
  const items = list.data ?? [];
  return (
    <section class="pn-panel pn-recommendations">
      {observer && FROZEN_STATES.has(doc.state) && <p class="pn-hint">{t("rec.frozen", { state: stateLabel(doc.state) })}</p>}
      {observer && !FROZEN_STATES.has(doc.state) && <SubmitForm ctx={ctx} doc={doc} canonical={canonical} onDone={() => void list.reload()} />}
      <ProblemNotice problem={list.problem} />
      <h3 class="pn-subhead">{observer ? t("rec.yours") : t("rec.fromObservers")}</h3>
      {items.length === 0 && !list.loading && <p class="pn-hint">{t("rec.none")}</p>}
      <ol class="pn-list">
        {items.map((r) => (
          <RecommendationItem key={r.id} ctx={ctx} doc={doc} item={r} canonical={canonical} mayConvert={mayConvert} onChanged={() => void list.reload()} />
        ))}
      </ol>
    </section>
  );
}

/** The recommendations panel: observers submit, the chair reads and converts. */
export const recommendationsPanel: Panel = {
  id: "recommendations",
  title: t("rec.panel"),
  // Observers submit, delegations offer to sponsor, chairs convert; ministers have no part in it.
  available: (ctx) => ctx.user.role !== "minister",
  mount: (el, ctx) => mountComponent(el, <RecommendationsView ctx={ctx} />),
};
