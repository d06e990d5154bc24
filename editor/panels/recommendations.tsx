/**
 * The recommendations panel. Civil society (observers) cannot change the text, but may
 * deliver recommendations to the chair: a text, its rationale, and optionally the
 * paragraph it concerns. The chair of the owning body reads them and may turn one into an
 * amendment on the table, sponsored by a delegation that has offered to carry it.
 */
import type { JSX } from "preact";
import { useState } from "preact/hooks";
import { chairsDocument } from "../../schema/roles.js";
import type { DocumentInfo, Panel, PanelContext } from "./context.js";
import {
  Field,
  ProblemNotice,
  StateBadge,
  mountComponent,
  paragraphLabel,
  useAction,
  useCanonical,
  useDocument,
  useLoaded,
  useParagraphChoices,
  useUniqueId,
  when,
} from "./ui/common.js";
import type { CanonicalDocument, Recommendation } from "./ui/types.js";

/** The observer's form: text, rationale, optional paragraph (preselected from the cursor). */
function SubmitForm({ ctx, doc, canonical, onDone }: { ctx: PanelContext; doc: DocumentInfo; canonical: CanonicalDocument; onDone: () => void }): JSX.Element {
  const choices = useParagraphChoices(canonical);
  const selected = ctx.view.selection();
  const [paragraphId, setParagraphId] = useState(selected?.paragraphId ?? "");
  const [text, setText] = useState("");
  const [rationale, setRationale] = useState("");
  const action = useAction(ctx);
  const id = useUniqueId("recommend");
  return (
    <form
      class="pn-form"
      aria-label="Submit a recommendation"
      onSubmit={(e) => {
        e.preventDefault();
        void action.run(async () => {
          const body: Record<string, unknown> = { text: text.trim(), rationale: rationale.trim() };
          if (paragraphId) body.paragraphId = paragraphId;
          await ctx.api.post(`/api/documents/${doc.id}/recommendations`, body);
          setText("");
          setRationale("");
          onDone();
        }, "Recommendation delivered to the chair");
      }}
    >
      <Field id={`${id}-para`} label="Concerning">
        <select id={`${id}-para`} value={paragraphId} onChange={(e) => setParagraphId(e.currentTarget.value)}>
          <option value="">The document as a whole</option>
          {choices.map((c) => (
            <option key={c.id} value={c.id}>
              {c.label}
            </option>
          ))}
        </select>
      </Field>
      <Field id={`${id}-text`} label="Recommendation">
        <textarea id={`${id}-text`} rows={4} value={text} required onInput={(e) => setText(e.currentTarget.value)} />
      </Field>
      <Field id={`${id}-why`} label="Rationale">
        <textarea id={`${id}-why`} rows={2} value={rationale} onInput={(e) => setRationale(e.currentTarget.value)} />
      </Field>
      <ProblemNotice problem={action.problem} />
      <button type="submit" class="pn-primary" disabled={action.busy || !text.trim()}>
        Submit recommendation
      </button>
    </form>
  );
}

/** One recommendation, and for the chair the conversion into an amendment. */
function RecommendationItem({ ctx, doc, item, canonical, onChanged }: { ctx: PanelContext; doc: DocumentInfo; item: Recommendation; canonical: CanonicalDocument; onChanged: () => void }): JSX.Element {
  const action = useAction(ctx);
  const [sponsor, setSponsor] = useState(item.sponsors?.[0] ?? "");
  const id = useUniqueId("rec");
  const chair = chairsDocument(ctx.user, doc);
  const open = doc.state === "draft" || doc.state === "negotiation";
  const converted = item.state === "converted" || !!item.amendmentId;
  return (
    <li class="pn-item" data-recommendation-id={item.id}>
      <div class="pn-item-head">
        {item.paragraphId ? (
          <button type="button" class="pn-link" onClick={() => ctx.view.scrollToParagraph(item.paragraphId!)}>
            {paragraphLabel(canonical, item.paragraphId)}
          </button>
        ) : (
          <span>Whole document</span>
        )}
        {item.state && <StateBadge state={item.state} />}
      </div>
      <p class="pn-meta">
        {item.author ?? item.username ?? "Observer"}
        {item.createdAt ? `, ${when(item.createdAt)}` : ""}
      </p>
      <p class="pn-quote">{item.text}</p>
      {item.rationale && <p class="pn-rationale">Rationale: {item.rationale}</p>}
      {chair && open && !converted && item.paragraphId && (
        <form
          class="pn-form pn-inline"
          onSubmit={(e) => {
            e.preventDefault();
            void action.run(async () => {
              await ctx.api.post(`/api/recommendations/${item.id}/amendment`, sponsor.trim() ? { sponsor: sponsor.trim().toUpperCase() } : {});
              onChanged();
            }, "Recommendation turned into an amendment");
          }}
        >
          <Field id={`${id}-sponsor`} label="Sponsoring delegation">
            <input id={`${id}-sponsor`} value={sponsor} size={5} placeholder="ARG" onInput={(e) => setSponsor(e.currentTarget.value)} />
          </Field>
          <button type="submit" disabled={action.busy}>
            Turn into amendment
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
  const observer = ctx.user.role === "observer";
  const items = list.data ?? [];
  return (
    <section class="pn-panel pn-recommendations">
      {observer && <SubmitForm ctx={ctx} doc={doc} canonical={canonical} onDone={() => void list.reload()} />}
      <ProblemNotice problem={list.problem} />
      <h3 class="pn-subhead">{observer ? "Your recommendations" : "Recommendations from observers"}</h3>
      {items.length === 0 && !list.loading && <p class="pn-hint">None yet.</p>}
      <ol class="pn-list">
        {items.map((r) => (
          <RecommendationItem key={r.id} ctx={ctx} doc={doc} item={r} canonical={canonical} onChanged={() => void list.reload()} />
        ))}
      </ol>
    </section>
  );
}

/** The recommendations panel: observers submit, the chair reads and converts. */
export const recommendationsPanel: Panel = {
  id: "recommendations",
  title: "Recommendations",
  available: (ctx) => ctx.user.role === "observer" || chairsDocument(ctx.user, ctx.document()),
  mount: (el, ctx) => mountComponent(el, <RecommendationsView ctx={ctx} />),
};
