/**
 * The consolidation panel of the rapporteur. On a work programme: where each paragraph
 * came from, a "source changed" marker when the working group's text moved on since it
 * was taken, the difference, and pulling the new wording or declining it. Anywhere: the
 * "Consolidate reports" action that builds a new work programme from chosen documents
 * (or some of their paragraphs) and opens it.
 */
import type { JSX } from "preact";
import { useEffect, useState } from "preact/hooks";
import type { DocumentInfo, Panel, PanelContext } from "./context.js";
import {
  DiffText,
  Field,
  ProblemNotice,
  mountComponent,
  paragraphLabel,
  problemOf,
  useAction,
  useCanonical,
  useDocument,
  useLoaded,
  useUniqueId,
  type Problem,
} from "./ui/common.js";
import type { DocumentContent } from "../../schema/api/documents.js";
import type { CanonicalDocument, Consolidation, OmittedParagraph, ParagraphProvenance, ProvenanceReport } from "./ui/types.js";
import type { DocumentSummary } from "../../schema/api/documents.js";
import { t, formatNumber, hasMessage, type MessageKey } from "../i18n/index.js";

const STATUS_LABELS: Record<ParagraphProvenance["status"], string> = {
  same: t("provenance.same"),
  changed: t("provenance.changed"),
  deleted: t("provenance.deleted"),
};

/** The `item` of a link (`?panel=consolidation&item=…`) that opens the form with the group reports chosen. */
export const CONSOLIDATE_GROUP_REPORTS = "group-reports";

/** Whether the user consolidates (the rapporteur; the secretariat acts for anyone). */
function consolidates(ctx: PanelContext): boolean {
  return ctx.user.role === "rapporteur" || ctx.user.role === "secretariat";
}

/** How to name an uncited block (title, heading, chapeau): its kind and first words. */
function blockLabel(canonical: CanonicalDocument, paragraphId: string): string {
  const p = canonical.paragraphs.find((q) => q.id === paragraphId);
  if (!p) return paragraphLabel(canonical, paragraphId);
  if (p.ref) return p.ref;
  return `${hasMessage(`paragraph.${p.kind}`) ? t(`paragraph.${p.kind}` as MessageKey) : p.kind}: ${p.text.length > 40 ? `${p.text.slice(0, 40)}…` : p.text}`;
}

/** One consolidated paragraph's source, its status, and pull/decline for the rapporteur. */
function ProvenanceItem({ ctx, doc, entry, canonical, sources, onChanged }: { ctx: PanelContext; doc: DocumentInfo; entry: ParagraphProvenance; canonical: CanonicalDocument; sources: Map<string, DocumentSummary>; onChanged: () => void }): JSX.Element {
  const action = useAction(ctx);
  const source = sources.get(entry.sourceDocumentId);
  // Pulling changes the text, so not once it is frozen; a declined change may still be pulled later.
  const frozen = doc.state === "adopted" || doc.state === "signed" || doc.state === "withdrawn";
  const mayAct = consolidates(ctx) && entry.status !== "same" && !frozen;
  const act = (verb: "pull" | "decline") =>
    void action.run(async () => {
      await ctx.api.post(`/api/documents/${doc.id}/provenance/${entry.paragraphId}/${verb}`);
      onChanged();
    }, verb === "pull" ? t("provenance.pulledDone", { paragraph: paragraphLabel(canonical, entry.paragraphId) }) : t("provenance.declinedDone", { paragraph: paragraphLabel(canonical, entry.paragraphId) }));
  return (
    <li class={`pn-item pn-provenance pn-prov-${entry.status}`} data-paragraph-id={entry.paragraphId} data-status={entry.status}>
      <div class="pn-item-head">
        <button type="button" class="pn-link" onClick={() => ctx.view.scrollToParagraph(entry.paragraphId)}>
          {entry.ref ?? blockLabel(canonical, entry.paragraphId)}
        </button>
        <span class={entry.pending ? "pn-badge pn-badge-warn" : "pn-badge"}>{entry.declined ? t("provenance.declined") : entry.decision?.action === "pulled" && entry.status === "same" ? t("provenance.pulled") : STATUS_LABELS[entry.status]}</span>
      </div>
      <p class="pn-meta">
        {t("provenance.from", { source: entry.sourceSymbol ?? source?.symbol ?? entry.sourceDocumentId })}
        {entry.sourceRef ? `, ${entry.sourceRef}` : ""}
        {source ? ` (${source.title})` : ""}
      </p>
      {entry.diff && entry.status !== "same" && (
        <p class="pn-diff-block">
          <DiffText runs={entry.diff} />
        </p>
      )}
      {mayAct && (
        <div class="pn-actions">
          <button type="button" class="pn-primary" disabled={action.busy} onClick={() => act("pull")}>
            {entry.status === "deleted" ? t("provenance.deleteToo") : t("provenance.pull")}
          </button>
          {!entry.declined && <button type="button" disabled={action.busy} onClick={() => act("decline")}>
            {t("provenance.decline")}
          </button>}
        </div>
      )}
      <ProblemNotice problem={action.problem} />
    </li>
  );
}

/** The rapporteur's choice of source documents and, optionally, of their paragraphs. */
function ConsolidateForm({ ctx, documents, onCancel, preselect }: { ctx: PanelContext; documents: DocumentSummary[]; onCancel: () => void; preselect: boolean }): JSX.Element {
  const [title, setTitle] = useState(t("kind.work_programme"));
  const [chosen, setChosen] = useState<Record<string, boolean>>({});
  const [paragraphs, setParagraphs] = useState<Record<string, CanonicalDocument>>({});
  const [picked, setPicked] = useState<Record<string, Set<string>>>({});
  const [problem, setProblem] = useState<Problem | null>(null);
  const action = useAction(ctx);
  const id = useUniqueId("consolidate");
  const candidates = documents.filter((d) => d.kind !== "work_programme");
  // Opened from the meeting home: the working groups' reports are the usual sources.
  const [preselected, setPreselected] = useState(false);
  useEffect(() => {
    if (!preselect || preselected || candidates.length === 0) return;
    setPreselected(true);
    for (const d of candidates) if (d.kind === "group_report") void choose(d, true);
  }, [preselect, preselected, candidates.length]);

  const choose = async (d: DocumentSummary, on: boolean) => {
    setChosen((c) => ({ ...c, [d.id]: on }));
    if (on && !paragraphs[d.id]) {
      try {
        const content = await ctx.api.get<DocumentContent>(`/api/documents/${d.id}/content`);
        setParagraphs((p) => ({ ...p, [d.id]: content.canonical }));
      } catch (err) {
        setProblem(problemOf(err));
      }
    }
  };
  const toggleParagraph = (docId: string, pid: string, on: boolean) => {
    const set = new Set(picked[docId] ?? []);
    if (on) set.add(pid);
    else set.delete(pid);
    setPicked({ ...picked, [docId]: set });
  };
  const sources = candidates
    .filter((d) => chosen[d.id])
    .map((d) => {
      const ids = [...(picked[d.id] ?? [])];
      return ids.length > 0 ? { documentId: d.id, paragraphIds: ids } : { documentId: d.id };
    });

  return (
    <form
      class="pn-form"
      aria-label={t("consolidation.form")}
      onSubmit={(e) => {
        e.preventDefault();
        void action.run(async () => {
          const created = await ctx.api.post<Consolidation>(`/api/meetings/${ctx.user.meetingId}/consolidations`, { title: title.trim(), sources });
          location.assign(`/documents/${encodeURIComponent(created.documentId)}`);
        }, t("consolidation.created"));
      }}
    >
      <Field id={`${id}-title`} label={t("consolidation.title")}>
        <input id={`${id}-title`} value={title} required onInput={(e) => setTitle(e.currentTarget.value)} />
      </Field>
      <fieldset>
        <legend>{t("consolidation.sources")}</legend>
        {candidates.map((d) => (
          <div key={d.id} class="pn-source" data-source-id={d.id} data-kind={d.kind}>
            <label class="pn-check">
              <input type="checkbox" checked={!!chosen[d.id]} onChange={(e) => void choose(d, e.currentTarget.checked)} /> {d.symbol} — {d.title}
            </label>
            {chosen[d.id] && paragraphs[d.id] && (
              <details>
                <summary>
                  {t("consolidation.some", {
                    which: picked[d.id]?.size ? t("consolidation.chosen", { count: picked[d.id]!.size, n: formatNumber(picked[d.id]!.size) }) : t("consolidation.allByDefault"),
                  })}
                </summary>
                {paragraphs[d.id]!.paragraphs
                  .filter((p) => p.ref)
                  .map((p) => (
                    <label key={p.id} class="pn-check pn-indent">
                      <input type="checkbox" checked={picked[d.id]?.has(p.id) ?? false} onChange={(e) => toggleParagraph(d.id, p.id, e.currentTarget.checked)} /> {p.ref}: {p.text.length > 70 ? `${p.text.slice(0, 70)}…` : p.text}
                    </label>
                  ))}
              </details>
            )}
          </div>
        ))}
      </fieldset>
      <ProblemNotice problem={problem ?? action.problem} />
      <div class="pn-actions">
        <button type="submit" class="pn-primary" disabled={action.busy || sources.length === 0 || !title.trim()}>
          {t("consolidation.create")}
        </button>
        <button type="button" onClick={onCancel}>
          {t("panel.cancel")}
        </button>
      </div>
    </form>
  );
}

/** Paragraphs the sources gained after consolidation: not copied, listed so none is missed. */
function AddedInSources({ omitted, sources }: { omitted: OmittedParagraph[]; sources: Map<string, DocumentSummary> }): JSX.Element {
  return (
    <>
      <h3 class="pn-subhead">{t("consolidation.newInSources")}</h3>
      <ul class="pn-list">
        {omitted.map((o) => (
          <li key={o.sourceParagraphId} class="pn-item pn-prov-changed">
            <p class="pn-meta">
              {sources.get(o.sourceDocumentId)?.symbol ?? o.sourceDocumentId}
              {o.sourceRef ? `, ${o.sourceRef}` : ""}
            </p>
            <p class="pn-quote">{o.text}</p>
          </li>
        ))}
      </ul>
    </>
  );
}

function ConsolidationView({ ctx }: { ctx: PanelContext }): JSX.Element {
  const doc = useDocument(ctx);
  const canonical = useCanonical(ctx);
  const fromHome = new URLSearchParams(location.search).get("item") === CONSOLIDATE_GROUP_REPORTS;
  const [consolidating, setConsolidating] = useState(fromHome && consolidates(ctx));
  const documents = useLoaded(ctx, () => ctx.api.get<DocumentSummary[]>(`/api/meetings/${ctx.user.meetingId}/documents`), [], [ctx.user.meetingId]);
  const isWorkProgramme = doc.kind === "work_programme";
  const provenance = useLoaded(
    ctx,
    async (): Promise<ProvenanceReport | null> => (isWorkProgramme ? ctx.api.get<ProvenanceReport>(`/api/documents/${doc.id}/provenance`) : null),
    ["provenance.", "version.created"],
    [doc.id, isWorkProgramme],
  );
  const sources = new Map((documents.data ?? []).map((d) => [d.id, d]));
  const entries = provenance.data?.paragraphs ?? [];
  const changed = entries.filter((e) => e.pending).length;
  const added = (provenance.data?.omitted ?? []).filter((o) => o.reason === "added_to_source" && o.inSource);
  // What needs the rapporteur comes first; paragraphs as in their source only on request.
  const [showAll, setShowAll] = useState(false);
  const needsDecision = (e: ParagraphProvenance) => e.pending;
  const shown = [...entries.filter(needsDecision), ...entries.filter((e) => !needsDecision(e) && (showAll || e.status !== "same"))];

  return (
    <section class="pn-panel pn-consolidation">
      {consolidates(ctx) &&
        (consolidating ? (
          <ConsolidateForm ctx={ctx} documents={documents.data ?? []} onCancel={() => setConsolidating(false)} preselect={fromHome} />
        ) : (
          <button type="button" class="pn-primary pn-wide" onClick={() => setConsolidating(true)}>
            {t("consolidation.start")}
          </button>
        ))}
      {isWorkProgramme && (
        <>
          <h3 class="pn-subhead">{t("consolidation.provenance")}</h3>
          <ProblemNotice problem={provenance.problem} />
          <p class="pn-count" aria-live="polite">
            {t("consolidation.count", { count: entries.length, n: formatNumber(entries.length), changed: formatNumber(changed) })}
          </p>
          <label class="pn-check">
            <input type="checkbox" checked={showAll} onChange={(e) => setShowAll(e.currentTarget.checked)} /> {t("consolidation.showSame")}
          </label>
          <ol class="pn-list">
            {shown.map((e) => (
              <ProvenanceItem key={e.paragraphId} ctx={ctx} doc={doc} entry={e} canonical={canonical} sources={sources} onChanged={() => void provenance.reload()} />
            ))}
          </ol>
          {added.length > 0 && <AddedInSources omitted={added} sources={sources} />}
        </>
      )}
      {!isWorkProgramme && !consolidates(ctx) && <p class="pn-hint">{t("consolidation.hint")}</p>}
    </section>
  );
}

/** The consolidation panel: for work programmes, and for the rapporteur anywhere. */
export const consolidationPanel: Panel = {
  id: "consolidation",
  title: t("consolidation.panel"),
  available: (ctx) => ctx.document().kind === "work_programme" || consolidates(ctx),
  mount: (el, ctx) => mountComponent(el, <ConsolidationView ctx={ctx} />),
};
