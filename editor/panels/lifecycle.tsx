/**
 * The lifecycle and sign-off panel: where the document stands (draft → negotiation →
 * agreed ad referendum → referred → adopted → signed), the transitions this user may ask
 * for (refusals list the server's every reason), and after adoption the sign-off: the
 * adopted text's hash, a minister's signature with an optional reservation, and every
 * signature with whether the current text still has the hash it signed. Reservations are
 * shown as numbered footnotes, as they are published.
 */
import type { JSX } from "preact";
import { useState } from "preact/hooks";
import { DOCUMENT_STATES } from "../../schema/roles.js";
import { allowedTransitions } from "../../schema/lifecycle.js";
import type { DocumentInfo, Panel, PanelContext } from "./context.js";
import {
  Field,
  ProblemNotice,
  StateBadge,
  mountComponent,
  ParagraphOptions,
  paragraphLabel,
  problemOf,
  shortHash,
  useAction,
  useCanonical,
  useDocument,
  useLoaded,
  useParagraphChoices,
  useUniqueId,
  when,
} from "./ui/common.js";
import type { CanonicalDocument, ReservationFootnote, SignatureCheck, TransitionOption, Verification } from "./ui/types.js";

const STATE_LABELS: Record<string, string> = {
  draft: "Draft",
  negotiation: "Under negotiation",
  agreed_ad_ref: "Agreed ad referendum",
  referred: "Referred to the plenary",
  adopted: "Adopted",
  signed: "Signed",
  withdrawn: "Withdrawn",
};

/** How a transition the server or the table names is offered. */
interface TransitionLike {
  to?: unknown;
  label?: unknown;
  allowed?: unknown;
  reasons?: unknown;
  blockers?: unknown;
  needsReason?: unknown;
  reasonRequired?: unknown;
}

/**
 * Turns an offered transition (the server's answer or `allowedTransitions` of the shared
 * table) into a button's facts: a guarded move with blockers is shown disabled with them.
 */
function asOption(t: TransitionLike | string): TransitionOption | null {
  if (typeof t === "string") return { to: t };
  if (!t || typeof t.to !== "string") return null;
  const reasons = [t.reasons, t.blockers].flatMap((r) => (Array.isArray(r) ? r.map(String) : []));
  return {
    to: t.to,
    label: typeof t.label === "string" ? t.label : undefined,
    allowed: typeof t.allowed === "boolean" ? t.allowed : reasons.length === 0,
    reasons,
    needsReason: t.needsReason === true || t.reasonRequired === true,
  };
}

/** Normalises the transitions answer (a list, or `{transitions}`; strings or objects). */
function normaliseTransitions(answer: unknown): TransitionOption[] {
  const list = Array.isArray(answer) ? answer : ((answer as { transitions?: unknown[] } | null)?.transitions ?? []);
  return list.map((t) => asOption(t as TransitionLike)).filter((t): t is TransitionOption => t !== null);
}

/**
 * The transitions this user may ask for, from the shared table when the server does not
 * list them; the server still checks the guard (clean text) and answers 409 with reasons.
 */
async function tableTransitions(ctx: PanelContext, doc: DocumentInfo): Promise<TransitionOption[]> {
  const bodies = await ctx.api.get<Array<{ id: string; kind: string }>>(`/api/meetings/${doc.meetingId}/bodies`);
  const plenaryBodyIds = bodies.filter((b) => b.kind === "plenary").map((b) => b.id);
  return allowedTransitions(ctx.user, { state: doc.state, bodyId: doc.bodyId, plenaryBodyIds })
    .map((t) => asOption(t))
    .filter((t): t is TransitionOption => t !== null);
}

/** One transition button, with its reason field where the transition needs one. */
function TransitionButton({ ctx, doc, option, onDone }: { ctx: PanelContext; doc: DocumentInfo; option: TransitionOption; onDone: () => void }): JSX.Element {
  const action = useAction(ctx);
  const [reason, setReason] = useState("");
  const [asking, setAsking] = useState(false);
  const id = useUniqueId("transition");
  const needsReason = option.needsReason === true;
  const label = option.label ?? `Move to ${STATE_LABELS[option.to]?.toLowerCase() ?? option.to}`;
  const go = () =>
    void action.run(async () => {
      await ctx.api.post(`/api/documents/${doc.id}/transitions`, reason.trim() ? { to: option.to, reason: reason.trim() } : { to: option.to });
      setAsking(false);
      await ctx.refreshDocument();
      onDone();
    }, `${doc.symbol}: ${STATE_LABELS[option.to] ?? option.to}`);
  const blocked = option.allowed === false;
  // Adoption freezes the text for everyone and binds the signatures to it; undoing it
  // (reopening) voids every signature, so it is asked twice.
  const grave = option.to === "adopted";
  return (
    <li class="pn-transition" data-transition={option.to}>
      {grave && !asking ? (
        <button type="button" disabled={blocked} onClick={() => setAsking(true)}>
          {label}…
        </button>
      ) : grave ? (
        <div class="pn-confirm" role="group" aria-label={`Confirm: ${label.toLowerCase()}`}>
          <p class="pn-hint">
            Adopting freezes the text of {doc.symbol} for everyone; ministers will sign exactly this text. Only reopening,
            which voids every signature, can undo it.
          </p>
          <button type="button" class="pn-primary" disabled={action.busy || blocked} onClick={go}>
            Confirm adoption
          </button>{" "}
          <button type="button" onClick={() => setAsking(false)}>
            Cancel
          </button>
        </div>
      ) : needsReason && !asking ? (
        <button type="button" disabled={blocked} onClick={() => setAsking(true)}>
          {label}…
        </button>
      ) : (
        <>
          {needsReason && (
            <Field id={`${id}-reason`} label={`Reason to ${label.toLowerCase()}`}>
              <input id={`${id}-reason`} value={reason} required onInput={(e) => setReason(e.currentTarget.value)} />
            </Field>
          )}
          <button type="button" class="pn-primary" disabled={action.busy || blocked || (needsReason && !reason.trim())} onClick={go}>
            {label}
          </button>
        </>
      )}
      {blocked && option.reasons && option.reasons.length > 0 && <p class="pn-hint">Not possible yet:</p>}
      {blocked && option.reasons && option.reasons.length > 0 && (
        <ul class="pn-reasons" aria-label={`Why “${label}” is not possible yet`}>
          {option.reasons.map((r, i) => (
            <li key={i}>{r}</li>
          ))}
        </ul>
      )}
      <ProblemNotice problem={action.problem} />
    </li>
  );
}

/** Where a reservation stands (whole document or a paragraph) and its text: shared by signing and reserving. */
function ReservationFields(props: {
  id: string;
  choices: ReadonlyArray<{ id: string; label: string }>;
  scope: string;
  setScope: (scope: string) => void;
  text: string;
  setText: (text: string) => void;
}): JSX.Element {
  const { id, choices, scope, setScope, text, setText } = props;
  return (
    <>
      <Field id={`${id}-scope`} label="Reservation on">
        <select id={`${id}-scope`} value={scope} onChange={(e) => setScope(e.currentTarget.value)}>
          <option value="">The whole document</option>
          <ParagraphOptions choices={choices} />
        </select>
      </Field>
      <Field id={`${id}-text`} label="Text of the reservation" hint="Published as a footnote; it never changes the text.">
        <textarea id={`${id}-text`} rows={3} value={text} required onInput={(e) => setText(e.currentTarget.value)} />
      </Field>
    </>
  );
}

/** A minister's signature of the adopted text, optionally with a reservation. */
function SignForm({ ctx, doc, hash, canonical, onDone }: { ctx: PanelContext; doc: DocumentInfo; hash: string; canonical: CanonicalDocument; onDone: () => void }): JSX.Element {
  const action = useAction(ctx);
  const choices = useParagraphChoices(canonical);
  const [withReservation, setWithReservation] = useState(false);
  const [scope, setScope] = useState("");
  const [text, setText] = useState("");
  const id = useUniqueId("sign");
  return (
    <form
      class="pn-form pn-sign"
      aria-label="Sign the adopted text"
      onSubmit={(e) => {
        e.preventDefault();
        const body: Record<string, unknown> = { hash };
        if (withReservation && text.trim()) body.reservation = scope ? { paragraphId: scope, text: text.trim() } : { text: text.trim() };
        void action.run(async () => {
          await ctx.api.post(`/api/documents/${doc.id}/signatures`, body);
          onDone();
        }, `${ctx.user.delegation} signed ${doc.symbol}`);
      }}
    >
      <p>
        You sign exactly the adopted text with hash <code class="pn-hash">{hash}</code>.
      </p>
      <label class="pn-check">
        <input type="checkbox" checked={withReservation} onChange={(e) => setWithReservation(e.currentTarget.checked)} /> Sign with a reservation
      </label>
      {withReservation && (
        <>
          <ReservationFields id={id} choices={choices} scope={scope} setScope={setScope} text={text} setText={setText} />
        </>
      )}
      <ProblemNotice problem={action.problem} />
      <button type="submit" class="pn-primary" disabled={action.busy || (withReservation && !text.trim())}>
        {withReservation ? "Sign with reservation" : "Sign"}
      </button>
    </form>
  );
}

function LifecycleView({ ctx }: { ctx: PanelContext }): JSX.Element {
  const doc = useDocument(ctx);
  const canonical = useCanonical(ctx);
  const events = ["document.", "signature.", "bracket.", "amendment.", "paragraph.status_changed", "version.created"];
  const transitions = useLoaded(
    ctx,
    async () => {
      try {
        return normaliseTransitions(await ctx.api.get<unknown>(`/api/documents/${doc.id}/transitions`));
      } catch (err) {
        // Until the lifecycle feature lists transitions, offer what DESIGN.md's table allows.
        if (problemOf(err).status === 404) return tableTransitions(ctx, ctx.document());
        throw err;
      }
    },
    events,
    [doc.id, doc.state],
  );
  const postAdoption = doc.state === "adopted" || doc.state === "signed";
  const verification = useLoaded(
    ctx,
    () => ctx.api.get<Verification>(`/api/documents/${doc.id}/verification`),
    ["signature.", "reservation.", "document."],
    [doc.id, postAdoption],
  );
  const v = verification.data;
  const mine = ctx.user.delegation;
  const standing = (v?.signatures ?? []).filter((sig) => !sig.voided);
  const voided = (v?.signatures ?? []).filter((sig) => sig.voided);
  const signedAlready = standing.some((sig) => sig.delegation === mine);
  const mustSign = !v?.required || (mine !== null && v.required.includes(mine));
  const footnotes = v?.reservations ?? [];
  const footnoteOf = (sig: SignatureCheck): number | null =>
    footnotes.find((f) => (sig.id !== undefined && f.signatureId === sig.id) || (sig.reservation?.id !== undefined && f.id === sig.reservation.id))?.footnote ?? null;
  const reload = () => {
    void transitions.reload();
    void verification.reload();
  };

  return (
    <section class="pn-panel pn-lifecycle">
      <ol class="pn-steps" aria-label="Stages of the document">
        {DOCUMENT_STATES.filter((s) => s !== "withdrawn" || doc.state === "withdrawn").map((s) => (
          <li key={s} class={s === doc.state ? "pn-step pn-step-on" : "pn-step"} aria-current={s === doc.state ? "step" : undefined}>
            {STATE_LABELS[s] ?? s}
          </li>
        ))}
      </ol>
      <p class="pn-current">
        {doc.symbol}: <StateBadge state={doc.state} label={STATE_LABELS[doc.state]} />
        {!doc.access.canWrite && doc.access.reason && <span class="pn-hint"> — {doc.access.reason}</span>}
      </p>
      <ProblemNotice problem={transitions.problem} />
      {transitions.data && transitions.data.length > 0 ? (
        <ul class="pn-transitions" aria-label="What you can do">
          {transitions.data.map((t) => (
            <TransitionButton key={`${doc.state}-${t.to}`} ctx={ctx} doc={doc} option={t} onDone={reload} />
          ))}
        </ul>
      ) : (
        transitions.data && <p class="pn-hint">No transition of this document is yours to make now.</p>
      )}
      {postAdoption && (
        <div class="pn-signoff">
          <h3 class="pn-subhead">Sign-off</h3>
          <ProblemNotice problem={verification.problem} />
          {v && (
            <>
              <dl class="pn-hashes">
                <dt>Adopted text</dt>
                <dd>
                  <code class="pn-hash" title={v.adoptedHash ?? ""} data-hash={v.adoptedHash ?? ""}>
                    {shortHash(v.adoptedHash)}
                  </code>
                </dd>
                <dt>Current text</dt>
                <dd>
                  <code class="pn-hash" title={v.currentHash}>
                    {shortHash(v.currentHash)}
                  </code>{" "}
                  {v.adoptedHash && (v.currentHash === v.adoptedHash ? <span class="pn-ok">identical</span> : <span class="pn-warning">differs from the adopted text</span>)}
                </dd>
                {v.audit && (
                  <>
                    <dt>Audit trail</dt>
                    <dd>{v.audit.ok ? <span class="pn-ok">intact</span> : <span class="pn-warning">broken at event {v.audit.brokenAt ?? "?"}</span>}</dd>
                  </>
                )}
              </dl>
              {v.problems && v.problems.length > 0 && (
                <ul class="pn-reasons" aria-label="Problems found by the verification">
                  {v.problems.map((p, i) => (
                    <li key={i}>{p}</li>
                  ))}
                </ul>
              )}
              {ctx.user.role === "minister" && mine && doc.state === "adopted" && !signedAlready && mustSign && v.adoptedHash && (
                <SignForm ctx={ctx} doc={doc} hash={v.adoptedHash} canonical={canonical} onDone={() => void verification.reload()} />
              )}
              {ctx.user.role === "minister" && mine && !mustSign && <p class="pn-hint">{mine} is not among the signatories of this document.</p>}
              {ctx.user.role === "minister" && signedAlready && <p class="pn-ok">{mine} has signed.</p>}
              <table class="pn-table pn-signatures">
                <caption>
                  Signatures: {standing.length}
                  {v.required ? ` of ${v.required.length} required` : ""}
                </caption>
                <thead>
                  <tr>
                    <th scope="col">Delegation</th>
                    <th scope="col">Signed</th>
                    <th scope="col">Check</th>
                  </tr>
                </thead>
                <tbody>
                  {[...standing, ...voided].map((sig, i) => {
                    const footnote = footnoteOf(sig);
                    return (
                      <tr key={sig.id ?? `${sig.delegation}-${i}`}>
                        <td>
                          {sig.delegation}
                          {footnote !== null && <sup>{footnote}</sup>}
                        </td>
                        <td>{when(sig.signedAt)}</td>
                        <td>
                          {sig.voided ? (
                            <span class="pn-hint">void (document reopened)</span>
                          ) : sig.valid ? (
                            <span class="pn-ok">valid</span>
                          ) : (
                            <span class="pn-warning">{sig.problem ?? "does not match the adopted text"}</span>
                          )}
                        </td>
                      </tr>
                    );
                  })}
                </tbody>
              </table>
              {v.missing && v.missing.length > 0 && <p class="pn-hint">Still to sign: {v.missing.join(", ")}</p>}
            </>
          )}
        </div>
      )}
      {footnotes.length > 0 && <Footnotes footnotes={footnotes} />}
      {(ctx.user.role === "delegate" || ctx.user.role === "minister") && mine && doc.state !== "withdrawn" && !(ctx.user.role === "minister" && doc.state === "adopted" && !signedAlready && mustSign) && (
        <ReservationForm ctx={ctx} doc={doc} canonical={canonical} onDone={() => void verification.reload()} />
      )}
    </section>
  );
}

/** Reservations as the document publishes them: numbered footnotes by paragraph. */
function Footnotes({ footnotes }: { footnotes: ReservationFootnote[] }): JSX.Element {
  return (
    <ol class="pn-footnotes" aria-label="Reservations">
      {footnotes.map((f) => (
        <li key={f.id ?? f.footnote} value={f.footnote}>
          {f.delegation}
          {f.paragraphId ? ` (${f.ref ?? "paragraph no longer in the text"})` : " (whole document)"}: {f.text}
        </li>
      ))}
    </ol>
  );
}

/** A delegation's reservation without signing (allowed up to and after adoption). */
function ReservationForm({ ctx, doc, canonical, onDone }: { ctx: PanelContext; doc: DocumentInfo; canonical: CanonicalDocument; onDone: () => void }): JSX.Element {
  const action = useAction(ctx);
  const choices = useParagraphChoices(canonical);
  const [openForm, setOpenForm] = useState(false);
  const [scope, setScope] = useState("");
  const [text, setText] = useState("");
  const id = useUniqueId("reserve");
  if (!openForm)
    return (
      <button type="button" onClick={() => setOpenForm(true)}>
        Make a reservation…
      </button>
    );
  return (
    <form
      class="pn-form"
      aria-label="Make a reservation"
      onSubmit={(e) => {
        e.preventDefault();
        void action.run(async () => {
          await ctx.api.post(`/api/documents/${doc.id}/reservations`, scope ? { paragraphId: scope, text: text.trim() } : { text: text.trim() });
          setText("");
          setOpenForm(false);
          onDone();
        }, `Reservation of ${ctx.user.delegation} recorded`);
      }}
    >
      <ReservationFields id={id} choices={choices} scope={scope} setScope={setScope} text={text} setText={setText} />
      <ProblemNotice problem={action.problem} />
      <div class="pn-actions">
        <button type="submit" class="pn-primary" disabled={action.busy || !text.trim()}>
          Record reservation
        </button>
        <button type="button" onClick={() => setOpenForm(false)}>
          Cancel
        </button>
      </div>
    </form>
  );
}

/** The lifecycle and sign-off panel of the document page. */
export const lifecyclePanel: Panel = {
  id: "lifecycle",
  title: "Lifecycle",
  mount: (el, ctx) => mountComponent(el, <LifecycleView ctx={ctx} />),
};
