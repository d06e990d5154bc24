/**
 * The amendments panel: every amendment of the document with its sponsor, co-sponsors,
 * target paragraph, state, rationale and word diff; filters by paragraph, delegation and
 * state; and the actions each user may take — a delegation proposes, tables, edits,
 * withdraws and rebases its own, joins or leaves others' as co-sponsor; the chair of the
 * owning body decides. "Propose amendment" is the first thing a delegate sees.
 */
import type { JSX } from "preact";
import { useEffect, useMemo, useRef, useState } from "preact/hooks";
import { chairsDocument, textWriteDenial } from "../../schema/roles.js";
import type { DocumentInfo, Panel, PanelContext } from "./context.js";
import {
  DiffText,
  Field,
  ProblemNotice,
  StateBadge,
  mountComponent,
  ParagraphOptions,
  paragraphLabel,
  problemOf,
  useAction,
  useCanonical,
  useDocument,
  useLoaded,
  useParagraphChoices,
  useUniqueId,
  type Problem,
  SelectField,
} from "./ui/common.js";
import {
  AMENDMENT_OPERATIONS,
  AMENDMENT_STATES,
  type Amendment,
  type AmendmentWithDiff,
  type AmendmentOperation,
  type CanonicalDocument,
} from "./ui/types.js";
import { ContentEditor, contentComplete, contentOf, contentRows, type ContentRow } from "./ui/content.js";
import { t, formatNumber } from "../i18n/index.js";

const OPERATION_LABELS: Record<AmendmentOperation, string> = {
  replace: t("amend.op.replace"),
  insert_before: t("amend.op.insert_before"),
  insert_after: t("amend.op.insert_after"),
  delete: t("amend.op.delete"),
};

/** States in which an amendment is still alive (its sponsor may withdraw it). */
const LIVE_STATES = new Set(["draft", "tabled", "stale"]);
/** States in which an amendment is on the table (delegations may join or leave its co-sponsors). */
const ON_TABLE = new Set(["tabled", "stale"]);

/** The proposed text of an amendment, whatever form its content takes (paragraphs one a line). */
function proposedText(a: Amendment): string {
  return a.content ? contentRows(a.content).map((r) => r.text).join("\n") : "";
}

/** The target paragraph's shape (kind and level), which plain wording keeps. */
function shapeOf(canonical: CanonicalDocument, paragraphId: string): { kind: string; level: number } | null {
  return canonical.paragraphs.find((p) => p.id === paragraphId) ?? null;
}

/** Whether new amendments may be drafted by this user on this document now. */
function mayPropose(ctx: PanelContext, doc: DocumentInfo): boolean {
  if (!ctx.user.delegation || ctx.user.role !== "delegate") return false;
  if (doc.state !== "draft" && doc.state !== "negotiation") return false;
  return textWriteDenial(ctx.user, doc) === null;
}

/** The form to draft an amendment: target paragraph (from the selection or a picker), operation, text, rationale. */
function ProposeForm({ ctx, canonical, onDone }: { ctx: PanelContext; canonical: CanonicalDocument; onDone: () => void }): JSX.Element {
  const choices = useParagraphChoices(canonical);
  // The paragraph of the cursor when the form opened, if it can be amended (not the title).
  const [preselected] = useState(() => {
    const selected = ctx.view.selection();
    return selected && choices.some((c) => c.id === selected.paragraphId) ? selected.paragraphId : null;
  });
  const firstOperative = choices.find((c) => canonical.paragraphs.find((p) => p.id === c.id)?.kind === "op")?.id;
  const [paragraphId, setParagraphId] = useState(preselected ?? firstOperative ?? choices[0]?.id ?? "");
  // A draft created by an attempt whose tabling was refused: a retry tables it, not a copy.
  const [draftId, setDraftId] = useState<string | null>(null);
  const [operation, setOperation] = useState<AmendmentOperation>("replace");
  const target = canonical.paragraphs.find((p) => p.id === paragraphId);
  const [rows, setRows] = useState<ContentRow[]>(() => contentRows(null, target?.text ?? ""));
  const setText = (text: string) => setRows(contentRows(null, text));
  const text = rows.length === 1 ? rows[0]!.text : null;
  const [rationale, setRationale] = useState("");
  const action = useAction(ctx);
  const id = useUniqueId("amend");
  const content = () => contentOf(rows, shapeOf(canonical, paragraphId));

  // A draft's target and operation are fixed; changing them means a new draft (the old one stays listed).
  const pick = (pid: string) => {
    setParagraphId(pid);
    setDraftId(null);
    if (operation === "replace") setText(canonical.paragraphs.find((p) => p.id === pid)?.text ?? "");
  };
  const pickOperation = (op: AmendmentOperation) => {
    setOperation(op);
    setDraftId(null);
    if (op === "replace") setText(target?.text ?? "");
    else if (op !== "delete" && text === target?.text) setText("");
  };
  const submit = async (table: boolean) => {
    await action.run(async () => {
      // A deletion carries no content; the others carry the proposed wording.
      const body = operation === "delete" ? { paragraphId, operation, rationale } : { paragraphId, operation, content: content(), rationale };
      let id = draftId;
      if (id === null) {
        id = (await ctx.api.post<Amendment>(`/api/documents/${ctx.document().id}/amendments`, body)).id;
        setDraftId(id);
      } else {
        await ctx.api.patch(`/api/amendments/${id}`, operation === "delete" ? { rationale } : { content: content(), rationale });
      }
      if (table) await ctx.api.post(`/api/amendments/${id}/table`);
      onDone();
    }, table ? t("amend.tabled") : t("amend.savedDraft"));
  };

  return (
    <form
      class="pn-form"
      aria-label={t("amend.proposeForm")}
      onSubmit={(e) => {
        e.preventDefault();
        void submit(true);
      }}
    >
      <SelectField id={`${id}-para`} label={t("content.paragraph")} hint={preselected ? t("amend.preselected") : t("amend.tip")} value={paragraphId} onChange={pick}>
        <ParagraphOptions choices={choices} />
      </SelectField>
      <SelectField id={`${id}-op`} label={t("amend.proposal")} value={operation} onChange={(v) => pickOperation(v as AmendmentOperation)}>
        {AMENDMENT_OPERATIONS.map((op) => (
          <option key={op} value={op}>
            {OPERATION_LABELS[op]}
          </option>
        ))}
      </SelectField>
      {operation !== "delete" && (
        <ContentEditor
          id={`${id}-text`}
          label={operation === "replace" ? t("amend.proposedParagraph") : t("amend.newParagraph")}
          rows={rows}
          like={shapeOf(canonical, paragraphId)}
          onChange={setRows}
        />
      )}
      <Field id={`${id}-why`} label={t("rec.rationale")}>
        <textarea id={`${id}-why`} rows={2} value={rationale} onInput={(e) => setRationale(e.currentTarget.value)} />
      </Field>
      <ProblemNotice problem={action.problem} />
      <div class="pn-actions">
        <button type="submit" class="pn-primary" disabled={action.busy || !paragraphId || (operation !== "delete" && !contentComplete(rows))}>
          {t("amend.table")}
        </button>
        <button type="button" disabled={action.busy || !paragraphId} onClick={() => void submit(false)}>
          {t("amend.saveDraft")}
        </button>
        <button type="button" onClick={onDone}>
          {t("panel.cancel")}
        </button>
      </div>
    </form>
  );
}

/** The chair's decision form: accept, accept as modified (with the agreed text), or reject with a reason. */
function DecisionForm({ ctx, amendment, like, onDone }: { ctx: PanelContext; amendment: Amendment; like: { kind: string; level: number } | null; onDone: () => void }): JSX.Element {
  const [mode, setMode] = useState<"accepted_as_modified" | "rejected" | null>(null);
  const [rows, setRows] = useState(() => contentRows(amendment.content));
  const [reason, setReason] = useState("");
  const action = useAction(ctx);
  const id = useUniqueId("decide");
  const decide = (decision: "accepted" | "accepted_as_modified" | "rejected") =>
    action.run(async () => {
      const body: Record<string, unknown> = { decision };
      if (decision === "accepted_as_modified") body.content = contentOf(rows, like);
      if (reason.trim()) body.reason = reason.trim();
      await ctx.api.post(`/api/amendments/${amendment.id}/decision`, body);
      onDone();
    }, `${amendment.number ?? t("amend.amendment")} ${t(`badge.${decision}`)}`);
  return (
    <div class="pn-decision">
      <div class="pn-actions" role="group" aria-label={t("amend.decide", { amendment: amendment.number ?? t("amend.theAmendment") })}>
        <button type="button" class="pn-primary" disabled={action.busy} onClick={() => void decide("accepted")}>
          {t("amend.accept")}
        </button>
        {amendment.operation !== "delete" && (
          <button type="button" aria-expanded={mode === "accepted_as_modified"} onClick={() => setMode(mode === "accepted_as_modified" ? null : "accepted_as_modified")}>
            {t("amend.acceptModified")}…
          </button>
        )}
        <button
          type="button"
          aria-expanded={mode === "rejected"}
          aria-describedby={`${id}-reject-hint`}
          title={t("amendment.rejectHint")}
          onClick={() => setMode(mode === "rejected" ? null : "rejected")}
        >
          {t("amend.reject")}…
        </button>
      </div>
      <p id={`${id}-reject-hint`} class="pn-hint">
        {t("amendment.rejectHint")}
      </p>
      {mode === "accepted_as_modified" && <ContentEditor id={`${id}-text`} label={t("amend.agreedText")} rows={rows} like={like} onChange={setRows} />}
      {mode && (
        <Field id={`${id}-reason`} label={mode === "rejected" ? t("amend.rejectReason") : t("amend.reasonOptional")}>
          <input id={`${id}-reason`} value={reason} onInput={(e) => setReason(e.currentTarget.value)} />
        </Field>
      )}
      {mode && (
        <button
          type="button"
          class="pn-primary"
          disabled={action.busy || (mode === "rejected" ? !reason.trim() : !contentComplete(rows))}
          onClick={() => void decide(mode)}
        >
          {mode === "rejected" ? t("amend.confirmReject") : t("amend.confirmModified")}
        </button>
      )}
      <ProblemNotice problem={action.problem} />
    </div>
  );
}

/** The sponsor's edit of a draft or stale amendment. */
function EditForm({ ctx, amendment, like, onDone }: { ctx: PanelContext; amendment: Amendment; like: { kind: string; level: number } | null; onDone: () => void }): JSX.Element {
  const [rows, setRows] = useState(() => contentRows(amendment.content));
  const [rationale, setRationale] = useState(amendment.rationale ?? "");
  const action = useAction(ctx);
  const id = useUniqueId("edit");
  return (
    <form
      class="pn-form"
      onSubmit={(e) => {
        e.preventDefault();
        void action.run(async () => {
          await ctx.api.patch(`/api/amendments/${amendment.id}`, amendment.operation === "delete" ? { rationale } : { content: contentOf(rows, like), rationale });
          onDone();
        }, t("amend.saved", { amendment: amendment.number ?? t("badge.draft") }));
      }}
    >
      {amendment.operation !== "delete" && <ContentEditor id={`${id}-text`} label={t("amend.proposedText")} rows={rows} like={like} onChange={setRows} />}
      <Field id={`${id}-why`} label={t("rec.rationale")}>
        <textarea id={`${id}-why`} rows={2} value={rationale} onInput={(e) => setRationale(e.currentTarget.value)} />
      </Field>
      <ProblemNotice problem={action.problem} />
      <div class="pn-actions">
        <button type="submit" class="pn-primary" disabled={action.busy || (amendment.operation !== "delete" && !contentComplete(rows))}>
          {t("amend.save")}
        </button>
        <button type="button" onClick={onDone}>
          {t("panel.cancel")}
        </button>
      </div>
    </form>
  );
}

/** One amendment: heading, sponsors, diff, rationale and the buttons this user may use. */
function AmendmentItem({
  ctx,
  doc,
  amendment,
  canonical,
  revision,
  onChanged,
}: {
  ctx: PanelContext;
  doc: DocumentInfo;
  amendment: Amendment;
  canonical: CanonicalDocument;
  revision: number;
  onChanged: () => void;
}): JSX.Element {
  const [detail, setDetail] = useState<AmendmentWithDiff | null>(null);
  const [detailProblem, setDetailProblem] = useState<Problem | null>(null);
  const [editing, setEditing] = useState(false);
  const action = useAction(ctx);
  const a = amendment;
  const listed = (a as AmendmentWithDiff).diff?.current;
  useEffect(() => {
    // The list carries the diffs (`diff=1`); ask for the one amendment only when it does not.
    if (listed) return;
    let live = true;
    ctx.api.get<AmendmentWithDiff>(`/api/amendments/${a.id}`).then(
      (d) => live && (setDetail(d), setDetailProblem(null)),
      (err) => live && setDetailProblem(problemOf(err)),
    );
    return () => {
      live = false;
    };
  }, [a.id, a.state, revision, !!listed]);

  // Only a delegate speaks for a delegation: a minister of the sponsoring state does not edit it.
  const delegate = ctx.user.role === "delegate" && ctx.user.delegation !== null;
  const mine = delegate && a.sponsor === ctx.user.delegation;
  const cosponsoring = delegate && a.cosponsors.includes(ctx.user.delegation!);
  const open = doc.state === "draft" || doc.state === "negotiation";
  const chair = chairsDocument(ctx.user, doc);
  const act = (path: string, done: string, method: "post" | "delete" = "post") =>
    void action.run(async () => {
      await (method === "post" ? ctx.api.post(path) : ctx.api.delete(path));
      onChanged();
    }, done);

  const runs = listed ?? detail?.diff?.current;
  const ref = a.paragraphRef ?? paragraphLabel(canonical, a.paragraphId);
  const number = a.number ?? t("amend.draftNumber");
  return (
    <li class={`pn-item pn-amendment pn-state-${a.state}`} data-amendment-id={a.id}>
      <div class="pn-item-head">
        <button type="button" class="pn-link pn-amendment-number" title={t("amend.show", { ref })} onClick={() => ctx.view.scrollToParagraph(a.paragraphId)}>
          {number} · {ref}
        </button>
        <StateBadge state={a.state} />
      </div>
      <p class="pn-meta">
        <span class="pn-sponsor">{a.sponsor}</span>
        {a.cosponsors.length > 0 && <span> {t("amend.with", { delegations: a.cosponsors.join(", ") })}</span>}
        <span> — {OPERATION_LABELS[a.operation] ?? a.operation}</span>
      </p>
      {runs ? (
        <p class="pn-diff-block">
          <DiffText runs={runs} />
        </p>
      ) : a.operation !== "delete" && proposedText(a) ? (
        <p class="pn-diff-block">
          <ins>{proposedText(a)}</ins>
        </p>
      ) : null}
      {detailProblem && <p class="pn-hint">{t("amend.diffUnavailable", { error: detailProblem.message })}</p>}
      {a.rationale && <p class="pn-rationale">{t("rec.rationaleText", { text: a.rationale })}</p>}
      {a.state === "stale" && <p class="pn-warning">{a.staleReason ? t("amend.staleBecause", { reason: a.staleReason }) : t("amend.stale")}</p>}
      {a.collidesWith.length > 0 && <p class="pn-hint">{t("amend.overlaps")}</p>}
      {a.state === "stale" && chair && <p class="pn-hint">{t("amend.staleChair")}</p>}
      {a.decisionReason && <p class="pn-hint">{t("amend.decision", { reason: a.decisionReason })}</p>}
      {editing ? (
        <EditForm ctx={ctx} amendment={a} like={shapeOf(canonical, a.paragraphId)} onDone={() => (setEditing(false), onChanged())} />
      ) : (
        <div class="pn-actions">
          {mine && open && a.state === "draft" && (
            <button type="button" class="pn-primary" disabled={action.busy} onClick={() => act(`/api/amendments/${a.id}/table`, t("amend.refTabled", { ref }))}>
              {t("amend.tableShort")}
            </button>
          )}
          {mine && open && (a.state === "draft" || a.state === "stale") && (
            <button type="button" onClick={() => setEditing(true)}>
              {t("amend.edit")}
            </button>
          )}
          {mine && open && a.state === "stale" && (
            <button type="button" disabled={action.busy} onClick={() => act(`/api/amendments/${a.id}/rebase`, t("amend.rebased", { amendment: number }))}>
              {t("amend.rebase")}
            </button>
          )}
          {mine && LIVE_STATES.has(a.state) && (
            <button type="button" disabled={action.busy} onClick={() => act(`/api/amendments/${a.id}/withdraw`, t("amend.withdrawn", { amendment: number }))}>
              {t("transition.withdraw")}
            </button>
          )}
          {delegate && !mine && open && !cosponsoring && ON_TABLE.has(a.state) && (
            <button type="button" disabled={action.busy} onClick={() => act(`/api/amendments/${a.id}/cosponsors`, t("amend.cosponsors", { delegation: ctx.user.delegation ?? "", amendment: number }))}>
              {t("amend.cosponsor")}
            </button>
          )}
          {delegate && cosponsoring && ON_TABLE.has(a.state) && (
            <button type="button" disabled={action.busy} onClick={() => act(`/api/amendments/${a.id}/cosponsors`, t("amend.left", { delegation: ctx.user.delegation ?? "", amendment: number }), "delete")}>
              {t("amend.leave")}
            </button>
          )}
        </div>
      )}
      {chair && open && ON_TABLE.has(a.state) && <DecisionForm ctx={ctx} amendment={a} like={shapeOf(canonical, a.paragraphId)} onDone={onChanged} />}
      <ProblemNotice problem={action.problem} />
    </li>
  );
}

function AmendmentsView({ ctx }: { ctx: PanelContext }): JSX.Element {
  const doc = useDocument(ctx);
  const canonical = useCanonical(ctx);
  const choices = useParagraphChoices(canonical);
  const [paragraph, setParagraph] = useState("");
  const [delegation, setDelegation] = useState("");
  const [state, setState] = useState("");
  const [proposing, setProposing] = useState(false);
  const [revision, setRevision] = useState(0);
  const id = useUniqueId("amfilter");
  const query = new URLSearchParams();
  if (paragraph) query.set("paragraph", paragraph);
  if (delegation.trim()) query.set("delegation", delegation.trim().toUpperCase());
  if (state) query.set("state", state);
  const qs = query.toString();
  const list = useLoaded(
    ctx,
    async () => {
      const items = await ctx.api.get<AmendmentWithDiff[]>(`/api/documents/${doc.id}/amendments?${qs ? `${qs}&` : ""}diff=1`);
      setRevision((r) => r + 1);
      return items;
    },
    ["amendment.", "paragraph.status_changed", "document.transitioned"],
    [doc.id, qs],
  );
  const amendments = list.data ?? [];
  // A diff shown to the chair must follow the live paragraph it would replace: when the
  // text of a paragraph with undecided amendments changes, reload (at most every 1.5 s).
  const undecidedTargets = useMemo(
    () => new Set(amendments.filter((a) => a.state === "tabled" || a.state === "stale").map((a) => a.paragraphId)),
    [amendments],
  );
  const targetsText = canonical.paragraphs
    .filter((p) => undecidedTargets.has(p.id))
    .map((p) => `${p.id}:${p.text}`)
    .join("\n");
  const shownTargets = useRef<string | null>(null);
  useEffect(() => {
    if (shownTargets.current === null || list.loading) {
      shownTargets.current = targetsText;
      return;
    }
    if (shownTargets.current === targetsText) return;
    const timer = setTimeout(() => {
      shownTargets.current = targetsText;
      void list.reload();
    }, 1500);
    return () => clearTimeout(timer);
  }, [targetsText, list.loading]);
  const canPropose = mayPropose(ctx, doc);
  const tabled = amendments.filter((a) => a.state === "tabled").length;

  return (
    <section class="pn-panel pn-amendments">
      {canPropose && !proposing && (
        <button type="button" class="pn-primary pn-wide" onClick={() => setProposing(true)}>
          {t("amend.propose")}
        </button>
      )}
      {!canPropose && ctx.user.role === "delegate" && (
        <p class="pn-hint">{t("amend.whenOpen")}</p>
      )}
      {proposing && <ProposeForm ctx={ctx} canonical={canonical} onDone={() => (setProposing(false), void list.reload())} />}
      <fieldset class="pn-filters">
        <legend>{t("amend.filter")}</legend>
        <SelectField id={`${id}-p`} label={t("content.paragraph")} value={paragraph} onChange={setParagraph}>
          <option value="">{t("amend.allParagraphs")}</option>
          <ParagraphOptions choices={choices} />
        </SelectField>
        <Field id={`${id}-d`} label={t("members.delegation")}>
          <input id={`${id}-d`} value={delegation} placeholder={t("amend.delegationPlaceholder")} size={6} onInput={(e) => setDelegation(e.currentTarget.value)} />
        </Field>
        <SelectField id={`${id}-s`} label={t("home.state")} value={state} onChange={setState}>
          <option value="">{t("amend.allStates")}</option>
          {AMENDMENT_STATES.map((s) => (
            <option key={s} value={s}>
              {t(`badge.${s}`)}
            </option>
          ))}
        </SelectField>
      </fieldset>
      <ProblemNotice problem={list.problem} />
      <p class="pn-count" aria-live="polite">
        {list.loading && !list.data
          ? t("amend.loading")
          : t("amend.count", { count: amendments.length, n: formatNumber(amendments.length), tabled: formatNumber(tabled) })}
      </p>
      <ol class="pn-list">
        {amendments.map((a) => (
          <AmendmentItem key={a.id} ctx={ctx} doc={doc} amendment={a} canonical={canonical} revision={revision} onChanged={() => void list.reload()} />
        ))}
      </ol>
    </section>
  );
}

/** The amendments panel of the document page. */
export const amendmentsPanel: Panel = {
  id: "amendments",
  title: t("amend.panel"),
  mount: (el, ctx) => mountComponent(el, <AmendmentsView ctx={ctx} />),
};
