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
import type { OfferedTransition } from "../../schema/lifecycle.js";
import type { TransitionsAnswer } from "../../schema/api/lifecycle.js";
import type { DocumentInfo, Panel, PanelContext } from "./context.js";
import {
  Field,
  ProblemNotice,
  StateBadge,
  mountComponent,
  ParagraphOptions,
  shortHash,
  useAction,
  useCanonical,
  useDocument,
  useLoaded,
  useParagraphChoices,
  useUniqueId,
  when,
  type EventName,
} from "./ui/common.js";
import type { CanonicalDocument, ReservationFootnote, CheckedSignature, SigningKeyInfo, SigningKeyList, Verification } from "./ui/types.js";
import { groupedFingerprint, statementText, type StatementBasis } from "../../schema/signing-statement.js";
import { createKeyPair, fingerprintOf, publicJwk, signText, storedKeyPair } from "./signing-key.js";
import { codeSentence, reasonSentence, t, tRich, formatDate, formatNumber, stateLabel } from "../i18n/index.js";

/** The minister's key as this browser holds it and as the server knows it. */
interface MinisterKey {
  pair: CryptoKeyPair | null;
  /** The fingerprint of the key pair in this browser. */
  local: string | null;
  /** The minister's key on the server that is not revoked. */
  standing: SigningKeyInfo | null;
}

async function loadMinisterKey(ctx: PanelContext): Promise<MinisterKey> {
  const [{ keys }, pair] = await Promise.all([ctx.api.get<SigningKeyList>("/api/signing-keys"), storedKeyPair(ctx.user.username)]);
  return { pair, local: pair ? await fingerprintOf(pair) : null, standing: keys.find((k) => k.state !== "revoked") ?? null };
}

/**
 * The minister's own key: made in this browser (the private half never leaves it), its
 * public half registered, then confirmed by the secretariat, who compares the fingerprint
 * the minister reads out. Only then can the minister sign.
 */
function MinisterKeyView({ ctx, minister, onChange }: { ctx: PanelContext; minister: MinisterKey; onChange: () => void }): JSX.Element {
  const action = useAction(ctx);
  const { standing, local } = minister;
  const create = () =>
    void action.run(async () => {
      const pair = await createKeyPair(ctx.user.username);
      await ctx.api.post("/api/signing-keys", { publicKey: await publicJwk(pair) });
      onChange();
    }, t("key.created"));
  let body: JSX.Element;
  if (standing?.state === "confirmed" && local === standing.fingerprint)
    body = (
      <p class="pn-ok">
        {tRich("key.confirmed", { fingerprint: <code class="pn-fingerprint">{groupedFingerprint(standing.fingerprint).slice(0, 19)}…</code> })}
      </p>
    );
  else if (standing?.state === "confirmed")
    body = (
      <p class="pn-warning">
        {t("key.elsewhere")}
      </p>
    );
  else if (standing?.state === "pending" && local === standing.fingerprint)
    body = (
      <p>
        {t("key.pending")}{" "}
        <code class="pn-fingerprint" data-fingerprint={standing.fingerprint}>
          {groupedFingerprint(standing.fingerprint)}
        </code>{" "}
        <button type="button" onClick={onChange}>
          {t("key.checkAgain")}
        </button>
      </p>
    );
  else
    body = (
      <>
        <p class="pn-hint">
          {t("key.explain")}
        </p>
        <button type="button" disabled={action.busy} onClick={create}>
          {t("key.create")}
        </button>
      </>
    );
  return (
    <div class="pn-key" data-key-state={standing?.state === "confirmed" && local !== standing.fingerprint ? "elsewhere" : (standing?.state ?? "none")}>
      <h3 class="pn-subhead">{t("key.yours")}</h3>
      {body}
      <ProblemNotice problem={action.problem} />
    </div>
  );
}

/** The secretariat's list of ministers' keys waiting for confirmation. */
function KeyConfirmations({ ctx }: { ctx: PanelContext }): JSX.Element {
  const keys = useLoaded(ctx, () => ctx.api.get<SigningKeyList>("/api/signing-keys"), [], []);
  const action = useAction(ctx);
  const pending = (keys.data?.keys ?? []).filter((k) => k.state === "pending");
  const confirmed = (keys.data?.keys ?? []).filter((k) => k.state === "confirmed").length;
  return (
    <div class="pn-keys">
      <h3 class="pn-subhead">{t("key.ministers")}</h3>
      <ProblemNotice problem={keys.problem ?? action.problem} />
      <p class="pn-hint">
        {t("key.confirmedCount", { n: formatNumber(confirmed) })}{" "}
        <button type="button" onClick={() => void keys.reload()}>
          {t("key.refresh")}
        </button>
      </p>
      {pending.length > 0 && (
        <ul class="pn-key-list" aria-label={t("key.waiting")}>
          {pending.map((k) => (
            <li key={k.id} data-key-id={k.id} data-username={k.username}>
              {k.displayName} ({k.delegation}): <code class="pn-fingerprint">{groupedFingerprint(k.fingerprint)}</code>{" "}
              <button
                type="button"
                disabled={action.busy}
                onClick={() =>
                  void action.run(async () => {
                    await ctx.api.post(`/api/signing-keys/${k.id}/confirmation`, { fingerprint: k.fingerprint });
                    await keys.reload();
                  }, t("key.confirmedDone", { username: k.username }))
                }
              >
                {t("key.confirm")}
              </button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

/** The transitions' labels (schema/lifecycle.ts names them in English) in the interface language. */
const TRANSITION_LABELS: Record<string, string> = {
  "Open negotiation": t("transition.open"),
  "Agree ad referendum": t("transition.agree"),
  "Refer to the plenary": t("transition.refer"),
  Adopt: t("transition.adopt"),
  "Signed by all": t("transition.signed"),
  Reopen: t("transition.reopen"),
  Withdraw: t("transition.withdraw"),
};

/** One transition button, with its reason field where the transition needs one. */
function TransitionButton({ ctx, doc, option, onDone }: { ctx: PanelContext; doc: DocumentInfo; option: OfferedTransition; onDone: () => void }): JSX.Element {
  const action = useAction(ctx);
  const [reason, setReason] = useState("");
  const [asking, setAsking] = useState(false);
  const id = useUniqueId("transition");
  const needsReason = option.reasonRequired;
  const label = TRANSITION_LABELS[option.label] ?? option.label;
  const go = () =>
    void action.run(async () => {
      await ctx.api.post(`/api/documents/${doc.id}/transitions`, reason.trim() ? { to: option.to, reason: reason.trim() } : { to: option.to });
      setAsking(false);
      await ctx.refreshDocument();
      onDone();
    }, `${doc.symbol}: ${stateLabel(option.to)}`);
  const blocked = option.blockers.length > 0;
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
        <div class="pn-confirm" role="group" aria-label={t("transition.confirmLabel", { action: label.toLowerCase() })}>
          <p class="pn-hint">
            {t("transition.adoptWarning", { symbol: doc.symbol })}
          </p>
          <button type="button" class="pn-primary" disabled={action.busy || blocked} onClick={go}>
            {t("transition.confirmAdoption")}
          </button>{" "}
          <button type="button" onClick={() => setAsking(false)}>
            {t("panel.cancel")}
          </button>
        </div>
      ) : needsReason && !asking ? (
        <button type="button" disabled={blocked} onClick={() => setAsking(true)}>
          {label}…
        </button>
      ) : (
        <>
          {needsReason && (
            <Field id={`${id}-reason`} label={t("transition.reason", { action: label.toLowerCase() })}>
              <input id={`${id}-reason`} value={reason} required onInput={(e) => setReason(e.currentTarget.value)} />
            </Field>
          )}
          <button type="button" class="pn-primary" disabled={action.busy || blocked || (needsReason && !reason.trim())} onClick={go}>
            {label}
          </button>
        </>
      )}
      {blocked && <p class="pn-hint">{t("transition.notYet")}</p>}
      {blocked && (
        <ul class="pn-reasons" aria-label={t("transition.why", { action: label })}>
          {option.blockers.map((r, i) => (
            <li key={i}>{reasonSentence(r, option.blockerCodes?.[i])}</li>
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
      <Field id={`${id}-scope`} label={t("reservation.on")}>
        <select id={`${id}-scope`} value={scope} onChange={(e) => setScope(e.currentTarget.value)}>
          <option value="">{t("reservation.whole")}</option>
          <ParagraphOptions choices={choices} />
        </select>
      </Field>
      <Field id={`${id}-text`} label={t("reservation.text")} hint={t("reservation.hint")}>
        <textarea id={`${id}-text`} rows={3} value={text} required onInput={(e) => setText(e.currentTarget.value)} />
      </Field>
    </>
  );
}

/**
 * A minister's signature of the adopted text, optionally with a reservation: what is
 * signed is said in words first, then the fingerprint; the minister types their password
 * again, and their key in this browser signs the exact statement the server will check.
 */
function SignForm(props: { ctx: PanelContext; doc: DocumentInfo; hash: string; canonical: CanonicalDocument; pair: CryptoKeyPair; onDone: () => void }): JSX.Element {
  const { ctx, doc, hash, canonical, pair, onDone } = props;
  const action = useAction(ctx);
  const choices = useParagraphChoices(canonical);
  const basis = useLoaded(ctx, () => ctx.api.get<StatementBasis>(`/api/documents/${doc.id}/signing-statement`), ["document."], [doc.id, hash]);
  const [withReservation, setWithReservation] = useState(false);
  const [scope, setScope] = useState("");
  const [text, setText] = useState("");
  const [password, setPassword] = useState("");
  const id = useUniqueId("sign");
  const b = basis.data;
  const day = (iso: string) => formatDate(iso, "long");
  return (
    <form
      class="pn-form pn-sign"
      aria-label={t("sign.form")}
      onSubmit={(e) => {
        e.preventDefault();
        if (!b) return;
        const reservation = withReservation && text.trim() ? { paragraphId: scope || null, text: text.trim() } : null;
        void action.run(async () => {
          const statement = statementText({ ...b, signedAt: new Date().toISOString(), reservation });
          const body: Record<string, unknown> = { hash: b.adoptedHash, password, statement, signature: await signText(pair, statement) };
          if (reservation) body.reservation = scope ? { paragraphId: scope, text: reservation.text } : { text: reservation.text };
          await ctx.api.post(`/api/documents/${doc.id}/signatures`, body);
          setPassword("");
          onDone();
        }, t("sign.done", { delegation: ctx.user.delegation ?? "", symbol: doc.symbol }));
      }}
    >
      <ProblemNotice problem={basis.problem} />
      {b && (
        <p class="pn-sign-words">
          {tRich("sign.words", {
            delegation: b.delegation,
            today: day(new Date().toISOString()),
            symbol: b.revision > 0 ? t("sign.revision", { symbol: b.symbol, revision: b.revision }) : b.symbol,
            title: b.title,
            adopted: day(b.adoptedAt),
            fingerprint: <strong>{groupedFingerprint(b.adoptedHash).slice(0, 19)}…</strong>,
          })}
        </p>
      )}
      <p>
        {tRich("sign.fullFingerprint", { hash: <code class="pn-hash">{hash}</code> })}
      </p>
      <label class="pn-check">
        <input type="checkbox" checked={withReservation} onChange={(e) => setWithReservation(e.currentTarget.checked)} /> {t("sign.withReservation")}
      </label>
      {withReservation && (
        <>
          <ReservationFields id={id} choices={choices} scope={scope} setScope={setScope} text={text} setText={setText} />
        </>
      )}
      <Field id={`${id}-password`} label={t("sign.password")}>
        <input id={`${id}-password`} type="password" autocomplete="current-password" value={password} required onInput={(e) => setPassword(e.currentTarget.value)} />
      </Field>
      <ProblemNotice problem={action.problem} />
      <button type="submit" class="pn-primary" disabled={action.busy || !b || !password || (withReservation && !text.trim())}>
        {withReservation ? t("sign.signWithReservation") : t("sign.sign")}
      </button>
    </form>
  );
}

function LifecycleView({ ctx }: { ctx: PanelContext }): JSX.Element {
  const doc = useDocument(ctx);
  const canonical = useCanonical(ctx);
  const events: EventName[] = ["document.", "signature.", "bracket.", "amendment.", "paragraph.status_changed", "version.created", "translation.changed"];
  const transitions = useLoaded(
    ctx,
    async () => (await ctx.api.get<TransitionsAnswer>(`/api/documents/${doc.id}/transitions`)).transitions,
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
  const mustSign = !v || (mine !== null && v.required.includes(mine));
  const footnotes = v?.reservations ?? [];
  const footnoteOf = (sig: CheckedSignature): number | null =>
    footnotes.find((f) => (sig.id !== undefined && f.signatureId === sig.id) || (sig.reservation?.id !== undefined && f.id === sig.reservation.id))?.footnote ?? null;
  const reload = () => {
    void transitions.reload();
    void verification.reload();
  };
  const isMinister = ctx.user.role === "minister" && mine !== null;
  const ministerKey = useLoaded(ctx, () => (isMinister ? loadMinisterKey(ctx) : Promise.resolve(null)), [], [ctx.user.username]);
  const key = ministerKey.data;
  const canSignWithKey = key?.standing?.state === "confirmed" && key.local === key.standing.fingerprint && key.pair !== null;

  return (
    <section class="pn-panel pn-lifecycle">
      <ol class="pn-steps" aria-label={t("lifecycle.stages")}>
        {DOCUMENT_STATES.filter((s) => s !== "withdrawn" || doc.state === "withdrawn").map((s) => (
          <li key={s} class={s === doc.state ? "pn-step pn-step-on" : "pn-step"} aria-current={s === doc.state ? "step" : undefined}>
            {stateLabel(s)}
          </li>
        ))}
      </ol>
      <p class="pn-current">
        {doc.symbol}: <StateBadge state={doc.state} label={stateLabel(doc.state)} />
        {!doc.access.canWrite && doc.access.reason && <span class="pn-hint"> — {codeSentence(doc.access.reasonCode, doc.access.reasonParams) ?? doc.access.reason}</span>}
      </p>
      <ProblemNotice problem={transitions.problem} />
      {transitions.data && transitions.data.length > 0 ? (
        <ul class="pn-transitions" aria-label={t("lifecycle.whatYouCanDo")}>
          {transitions.data.map((t) => (
            <TransitionButton key={`${doc.state}-${t.to}`} ctx={ctx} doc={doc} option={t} onDone={reload} />
          ))}
        </ul>
      ) : (
        transitions.data && <p class="pn-hint">{t("lifecycle.noTransition")}</p>
      )}
      {postAdoption && (
        <div class="pn-signoff">
          <h3 class="pn-subhead">{t("lifecycle.signOff")}</h3>
          <ProblemNotice problem={verification.problem} />
          {v && (
            <>
              <dl class="pn-hashes">
                <dt>{t("lifecycle.adoptedText")}</dt>
                <dd>
                  <code class="pn-hash" title={v.adoptedHash ?? ""} data-hash={v.adoptedHash ?? ""}>
                    {shortHash(v.adoptedHash)}
                  </code>
                </dd>
                <dt>{t("lifecycle.currentText")}</dt>
                <dd>
                  <code class="pn-hash" title={v.currentHash}>
                    {shortHash(v.currentHash)}
                  </code>{" "}
                  {v.adoptedHash && (v.currentHash === v.adoptedHash ? <span class="pn-ok">{t("lifecycle.identical")}</span> : <span class="pn-warning">{t("lifecycle.differs")}</span>)}
                </dd>
                {v.audit && (
                  <>
                    <dt>{t("lifecycle.audit")}</dt>
                    <dd>{v.audit.ok ? <span class="pn-ok">{t("lifecycle.intact")}</span> : <span class="pn-warning">{t("lifecycle.broken", { event: v.audit.brokenAt ?? "?" })}</span>}</dd>
                  </>
                )}
              </dl>
              {v.problems.length > 0 && (
                <ul class="pn-reasons" aria-label={t("lifecycle.problems")}>
                  {v.problems.map((p, i) => (
                    <li key={i}>{reasonSentence(p, v.problemCodes?.[i])}</li>
                  ))}
                </ul>
              )}
              {ctx.user.role === "minister" && mine && doc.state === "adopted" && !signedAlready && mustSign && v.adoptedHash && canSignWithKey && key?.pair && (
                <SignForm ctx={ctx} doc={doc} hash={v.adoptedHash} canonical={canonical} pair={key.pair} onDone={() => void verification.reload()} />
              )}
              {ctx.user.role === "minister" && mine && doc.state === "adopted" && !signedAlready && mustSign && !canSignWithKey && (
                <p class="pn-hint">{t("lifecycle.keyNeeded")}</p>
              )}
              {ctx.user.role === "minister" && mine && !mustSign && <p class="pn-hint">{t("lifecycle.notSignatory", { delegation: mine })}</p>}
              {ctx.user.role === "minister" && signedAlready && <p class="pn-ok">{t("lifecycle.hasSigned", { delegation: mine ?? "" })}</p>}
              <table class="pn-table pn-signatures">
                <caption>
                  {v.required
                    ? t("lifecycle.signaturesOf", { n: formatNumber(standing.length), required: formatNumber(v.required.length) })
                    : t("lifecycle.signatures", { n: formatNumber(standing.length) })}
                </caption>
                <thead>
                  <tr>
                    <th scope="col">{t("members.delegation")}</th>
                    <th scope="col">{t("lifecycle.signed")}</th>
                    <th scope="col">{t("lifecycle.check")}</th>
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
                            <span class="pn-hint">{t("lifecycle.void")}</span>
                          ) : sig.valid ? (
                            <span class="pn-ok">{t("lifecycle.valid")}</span>
                          ) : (
                            <span class="pn-warning">{sig.problem ? reasonSentence(sig.problem, sig.problemCode) : t("lifecycle.mismatch")}</span>
                          )}
                        </td>
                      </tr>
                    );
                  })}
                </tbody>
              </table>
              {v.missing.length > 0 && <p class="pn-hint">{t("lifecycle.missing", { delegations: v.missing.join(", ") })}</p>}
              <p class="pn-hint">
                <a href={`/api/documents/${doc.id}/signatures/export`} download>
                  {t("lifecycle.export")}
                </a>{" "}
                — {tRich("lifecycle.verifyHint", { command: <code>npm run verify-signatures -- file.json</code> })}
              </p>
            </>
          )}
        </div>
      )}
      {footnotes.length > 0 && <Footnotes footnotes={footnotes} />}
      {isMinister && key && <MinisterKeyView ctx={ctx} minister={key} onChange={() => void ministerKey.reload()} />}
      <ProblemNotice problem={ministerKey.problem} />
      {ctx.user.role === "secretariat" && <KeyConfirmations ctx={ctx} />}
      {(ctx.user.role === "delegate" || ctx.user.role === "minister") && mine && doc.state !== "withdrawn" && !(ctx.user.role === "minister" && doc.state === "adopted" && !signedAlready && mustSign) && (
        <ReservationForm ctx={ctx} doc={doc} canonical={canonical} onDone={() => void verification.reload()} />
      )}
    </section>
  );
}

/** Reservations as the document publishes them: numbered footnotes by paragraph. */
function Footnotes({ footnotes }: { footnotes: ReservationFootnote[] }): JSX.Element {
  return (
    <ol class="pn-footnotes" aria-label={t("reservation.list")}>
      {footnotes.map((f) => (
        <li key={f.id ?? f.footnote} value={f.footnote}>
          {f.delegation}
          {f.paragraphId ? ` (${f.ref ?? t("reservation.paragraphGone")})` : ` (${t("reservation.wholeShort")})`}: {f.text}
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
        {t("reservation.make")}…
      </button>
    );
  return (
    <form
      class="pn-form"
      aria-label={t("reservation.make")}
      onSubmit={(e) => {
        e.preventDefault();
        void action.run(async () => {
          await ctx.api.post(`/api/documents/${doc.id}/reservations`, scope ? { paragraphId: scope, text: text.trim() } : { text: text.trim() });
          setText("");
          setOpenForm(false);
          onDone();
        }, t("reservation.recorded", { delegation: ctx.user.delegation ?? "" }));
      }}
    >
      <ReservationFields id={id} choices={choices} scope={scope} setScope={setScope} text={text} setText={setText} />
      <ProblemNotice problem={action.problem} />
      <div class="pn-actions">
        <button type="submit" class="pn-primary" disabled={action.busy || !text.trim()}>
          {t("reservation.record")}
        </button>
        <button type="button" onClick={() => setOpenForm(false)}>
          {t("panel.cancel")}
        </button>
      </div>
    </form>
  );
}

/** The lifecycle and sign-off panel of the document page. */
export const lifecyclePanel: Panel = {
  id: "lifecycle",
  title: t("lifecycle.panel"),
  mount: (el, ctx) => mountComponent(el, <LifecycleView ctx={ctx} />),
};
