/**
 * Small pieces every panel uses: loading data that follows the server's live events,
 * running a command and showing the server's refusal with every reason, the word diff as
 * underline and strike-through, and paragraph labels as delegates cite them. Server text
 * is always rendered as JSX text, never as HTML.
 */
import { render, type ComponentChildren, type JSX } from "preact";
import { useCallback, useEffect, useMemo, useRef, useState } from "preact/hooks";
import { ApiError, type PanelContext } from "../context.js";
import type { DocumentEventFamily, DocumentEventType } from "../../../schema/api/events.js";
import type { PageEvent } from "../../document/events.js";
import { listedReasons } from "../../api/client.js";
import type { CanonicalDocument, DiffRun } from "./types.js";
import { codeSentence, formatDateTime, t, hasMessage, type MessageKey } from "../../i18n/index.js";

/** Renders a Preact component into a panel's element and returns the unmount function. */
export function mountComponent(el: HTMLElement, node: JSX.Element): () => void {
  render(node, el);
  return () => render(null, el);
}

/** What went wrong, for a person: the server's sentence and every blocking reason. */
export interface Problem {
  message: string;
  reasons: string[];
  status?: number;
}

/** Turns anything thrown by the API client into a `Problem`. */
export function problemOf(err: unknown): Problem {
  if (err instanceof ApiError) return { message: codeSentence(err.code, err.params) ?? err.message, reasons: listedReasons(err), status: err.status };
  if (err instanceof Error) return { message: err.message, reasons: [] };
  return { message: String(err), reasons: [] };
}

/** The server's refusal: its sentence and each reason as a list item, announced to screen readers. */
export function ProblemNotice({ problem }: { problem: Problem | null }): JSX.Element | null {
  if (!problem) return null;
  return (
    <div class="pn-problem" role="alert">
      <p>{problem.message}</p>
      {problem.reasons.length > 0 && (
        <ul>
          {problem.reasons.map((r, i) => (
            <li key={i}>{r}</li>
          ))}
        </ul>
      )}
    </div>
  );
}

/** An event's name, or a family of events (`"amendment."`), to reload on. */
export type EventName = DocumentEventType | DocumentEventFamily;

/** Whether an event type matches one of the prefixes (`amendment.` matches `amendment.tabled`). */
function eventMatches(event: PageEvent, prefixes: readonly EventName[]): boolean {
  return prefixes.some((p) => event.type === p || (p.endsWith(".") && event.type.startsWith(p)));
}

/** Data loaded from the server that reloads itself when one of `prefixes` arrives live. */
export interface Loaded<T> {
  data: T | null;
  problem: Problem | null;
  loading: boolean;
  reload: () => Promise<void>;
}

/**
 * Loads `load()` now, again whenever `deps` change, and again when a live event whose type
 * starts with one of `prefixes` arrives. A slow answer never overwrites a newer one.
 */
export function useLoaded<T>(ctx: PanelContext, load: () => Promise<T>, prefixes: readonly EventName[], deps: readonly unknown[] = []): Loaded<T> {
  const [data, setData] = useState<T | null>(null);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [loading, setLoading] = useState(true);
  const generation = useRef(0);
  const loadRef = useRef(load);
  loadRef.current = load;
  const reload = useCallback(async () => {
    const mine = ++generation.current;
    setLoading(true);
    try {
      const value = await loadRef.current();
      if (mine !== generation.current) return;
      setData(value);
      setProblem(null);
    } catch (err) {
      if (mine !== generation.current) return;
      setProblem(problemOf(err));
    } finally {
      if (mine === generation.current) setLoading(false);
    }
  }, []);
  useEffect(() => {
    void reload();
  }, deps);
  useEffect(
    () =>
      ctx.onEvent("*", (event) => {
        if (eventMatches(event, prefixes)) void reload();
      }),
    [ctx, prefixes.join(" ")],
  );
  return { data, problem, loading, reload };
}

/** A command in flight: `run` calls it, keeps the refusal, and reports success through `notify`. */
export interface Action {
  busy: boolean;
  problem: Problem | null;
  clear: () => void;
  run: (fn: () => Promise<unknown>, done?: string) => Promise<boolean>;
}

/** One command at a time per form; the server's refusal stays on screen until the next try. */
export function useAction(ctx: PanelContext): Action {
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<Problem | null>(null);
  const run = useCallback(
    async (fn: () => Promise<unknown>, done?: string) => {
      setBusy(true);
      setProblem(null);
      try {
        await fn();
        if (done) ctx.notify(done, "info");
        return true;
      } catch (err) {
        const p = problemOf(err);
        setProblem(p);
        ctx.notify(p.reasons.length ? `${p.message}: ${p.reasons.join("; ")}` : p.message, "error");
        return false;
      } finally {
        setBusy(false);
      }
    },
    [ctx],
  );
  return { busy, problem, clear: () => setProblem(null), run };
}

/** Re-renders when the text changes (coalesced per animation frame), returning the canonical form. */
export function useCanonical(ctx: PanelContext): CanonicalDocument {
  const [canonical, setCanonical] = useState<CanonicalDocument>(() => ctx.view.canonical());
  useEffect(() => {
    let frame = 0;
    const off = ctx.view.onTextChange(() => {
      if (frame) return;
      frame = requestAnimationFrame(() => {
        frame = 0;
        setCanonical(ctx.view.canonical());
      });
    });
    return () => {
      off();
      if (frame) cancelAnimationFrame(frame);
    };
  }, [ctx]);
  return canonical;
}

/**
 * The document info, kept current: the page refreshes it on `document.*` events and then
 * announces `document.refreshed`; `access.changed` it applies at once. This only reads
 * it — calling `refreshDocument` here would answer every refresh with another one.
 */
export function useDocument(ctx: PanelContext): ReturnType<PanelContext["document"]> {
  const [doc, setDoc] = useState(() => ctx.document());
  useEffect(
    () =>
      ctx.onEvent("*", (event) => {
        if (event.type.startsWith("document.") || event.type === "access.changed") setDoc(ctx.document());
      }),
    [ctx],
  );
  return doc;
}

/** How delegates cite a paragraph: its ref (`OP1(a)`, `PP3`), or its kind for the title and headings. */
export function paragraphLabel(canonical: CanonicalDocument, paragraphId: string): string {
  const p = canonical.paragraphs.find((q) => q.id === paragraphId);
  if (!p) return t("panel.paragraphGone");
  return p.ref ?? (hasMessage(`paragraph.${p.kind}`) ? t(`paragraph.${p.kind}` as MessageKey) : p.kind);
}

/** The paragraphs that can be cited, for pickers: `[id, "OP1 — To urge…"]`. */
export function useParagraphChoices(canonical: CanonicalDocument): Array<{ id: string; label: string; text: string }> {
  return useMemo(
    () =>
      canonical.paragraphs
        .filter((p) => p.ref !== null)
        .map((p) => ({ id: p.id, label: `${p.ref} — ${p.text.length > 60 ? `${p.text.slice(0, 60)}…` : p.text}`, text: p.text })),
    [canonical],
  );
}

/** The `<option>`s of a paragraph picker, one per citable paragraph (see useParagraphChoices). */
export function ParagraphOptions({ choices }: { choices: ReadonlyArray<{ id: string; label: string }> }): JSX.Element {
  return (
    <>
      {choices.map((c) => (
        <option key={c.id} value={c.id}>
          {c.label}
        </option>
      ))}
    </>
  );
}

/**
 * Groups a word diff into readable phrases: a word diff keeps the spaces between changed
 * words as unchanged, so "at all levels" → "in school curricula" reads as six interleaved
 * fragments. A space-only run between two changes joins both sides, so each change reads
 * as one struck phrase followed by one underlined phrase.
 */
export function phraseRuns(runs: readonly DiffRun[]): DiffRun[] {
  const out: DiffRun[] = [];
  let deleted = "";
  let inserted = "";
  let hasDelete = false;
  let hasInsert = false;
  const flush = () => {
    if (hasDelete) out.push({ op: "delete", text: deleted });
    if (hasInsert) out.push({ op: "insert", text: inserted });
    deleted = inserted = "";
    hasDelete = hasInsert = false;
  };
  runs.forEach((run, i) => {
    const next = runs[i + 1];
    if (run.op === "equal") {
      if ((hasDelete || hasInsert) && /^\s+$/.test(run.text) && next && next.op !== "equal") {
        deleted += run.text;
        inserted += run.text;
        return;
      }
      flush();
      out.push(run);
    } else if (run.op === "delete") {
      deleted += run.text;
      hasDelete = true;
    } else {
      inserted += run.text;
      hasInsert = true;
    }
  });
  flush();
  return out;
}

/** A word diff: inserted words underlined, deleted words struck through, with words for screen readers. */
export function DiffText({ runs }: { runs: readonly DiffRun[] }): JSX.Element {
  return (
    <span class="pn-diff">
      {phraseRuns(runs).map((run, i) =>
        run.op === "insert" ? (
          <ins key={i} title={t("diff.inserted")}>
            {run.text}
          </ins>
        ) : run.op === "delete" ? (
          <del key={i} title={t("diff.deleted")}>
            {run.text}
          </del>
        ) : (
          <span key={i}>{run.text}</span>
        ),
      )}
    </span>
  );
}

/** A labelled field: the label is a real `<label>` bound to the control. */
export function Field({ id, label, children, hint }: { id: string; label: string; children: ComponentChildren; hint?: string }): JSX.Element {
  return (
    <div class="pn-field">
      <label for={id}>{label}</label>
      {children}
      {hint && <small class="pn-hint">{hint}</small>}
    </div>
  );
}

/** A labelled drop-down: its label, the `<select>` (its options are the children), an optional hint. */
export function SelectField({
  id,
  label,
  value,
  onChange,
  hint,
  children,
}: {
  id: string;
  label: string;
  value: string | undefined;
  onChange: (value: string) => void;
  hint?: string;
  children: ComponentChildren;
}): JSX.Element {
  return (
    <Field id={id} label={label} hint={hint}>
      <select id={id} value={value} onChange={(e) => onChange(e.currentTarget.value)}>
        {children}
      </select>
    </Field>
  );
}

/**
 * A state shown as a quiet badge (`tabled`, `open`, `adopted`): its label, else the
 * catalogue's word for it (`badge.<state>`), else the state with underscores as spaces.
 */
export function StateBadge({ state, label }: { state: string; label?: string }): JSX.Element {
  const word = label ?? (hasMessage(`badge.${state}`) ? t(`badge.${state}` as MessageKey) : state.replace(/_/g, " "));
  return <span class={`pn-badge pn-state-${state}`}>{word}</span>;
}

let uniqueCounter = 0;
/** A stable id unique on the page, for label/control pairs. */
export function useUniqueId(prefix: string): string {
  const ref = useRef<string | null>(null);
  if (ref.current === null) ref.current = `${prefix}-${++uniqueCounter}`;
  return ref.current;
}

/** Renders a canonical text as an official document (read-only): title, chapeau, PP, numbered OP. */
export function OfficialText({ canonical, label }: { canonical: CanonicalDocument; label: string }): JSX.Element {
  return (
    <article class="pn-official" aria-label={label}>
      {canonical.paragraphs.map((p) => {
        if (p.kind === "title") return <h3 key={p.id} class="pn-official-title">{p.text}</h3>;
        if (p.kind === "heading") return <h4 key={p.id} class="pn-official-heading">{p.text}</h4>;
        if (p.kind === "chapeau") return <p key={p.id} class="pn-official-chapeau">{p.text}</p>;
        return (
          <p key={p.id} class={`pn-official-${p.kind} pn-level-${p.level}`} data-paragraph-id={p.id}>
            {p.number && <span class="pn-number">{/^\d+$/.test(p.number) ? `${p.number}.` : p.number}</span>}
            {p.text}
          </p>
        );
      })}
    </article>
  );
}

/** Shortens a SHA-256 hex for display while keeping it comparable by eye. */
export function shortHash(hash: string | null | undefined): string {
  if (!hash) return "—";
  return `${hash.slice(0, 12)}…${hash.slice(-6)}`;
}

/** A date-time as people in the room read it, in the interface language. */
export function when(iso: string | undefined): string {
  if (!iso) return "";
  return formatDateTime(iso);
}
