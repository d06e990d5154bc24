import { useEffect, useRef, useState } from "preact/hooks";
import type { EditorView } from "prosemirror-view";
import type { ApiClient, DocumentInfo, SessionUser } from "../panels/context.js";
import { describeError } from "../api/client.js";
import { connectDocument, type DocumentConnection } from "../document/connection.js";
import { mountTextView, type TextView } from "../document/text-view.js";
import { alignmentPlugin, setAlignment, structureLockPlugin } from "../document/plugins/translation.js";
import type { LanguageEntry, ParagraphTranslation } from "../../schema/api/languages.js";
import type { Bracket, BracketRegister } from "../../schema/api/brackets.js";
import { LanguageCounts } from "../document/languages.js";
import { documentSchema } from "../../schema/schema.js";
import { codeSentence, t } from "../i18n/index.js";
import { Link } from "./link.js";
import { NoticeArea, useNotices } from "./notices.js";
import { documentPath } from "./router.js";

/** After a change of either text, the status is asked again once typing pauses. */
const STATUS_REFRESH_MS = 400;

/**
 * The side-by-side view of a language version: its original on the left, read only, the
 * translation on the right, both live (two connections), their paragraphs lined up; the
 * translation status of each paragraph as a band, the original's changes since the
 * translation was done under each outdated paragraph, the original's brackets that the
 * translation does not mark yet as warnings with a button to mark the selected words, and
 * a filter that shows only outdated paragraphs.
 */
export function SideBySidePage(props: { api: ApiClient; user: SessionUser; documentId: string }) {
  const { api, documentId } = props;
  const leftHost = useRef<HTMLDivElement>(null);
  const rightHost = useRef<HTMLDivElement>(null);
  const [version, setVersion] = useState<DocumentInfo | null>(null);
  const [original, setOriginal] = useState<DocumentInfo | null>(null);
  // The original's language as the server resolves it (its own, or the meeting's first).
  const [originalLanguage, setOriginalLanguage] = useState<string | null>(null);
  const [statuses, setStatuses] = useState<ParagraphTranslation[]>([]);
  const [brackets, setBrackets] = useState<Bracket[]>([]);
  const [outdatedOnly, setOutdatedOnly] = useState(false);
  const [ready, setReady] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [generation, setGeneration] = useState(0);
  const [notices, notify, dismiss] = useNotices();
  const views = useRef<{ left: TextView; right: TextView } | null>(null);

  useEffect(() => {
    let cancelled = false;
    const connections: DocumentConnection[] = [];
    const cleanups: Array<() => void> = [];
    let statusTimer = 0;
    (async () => {
      const info = await api.get<DocumentInfo>(`/api/documents/${documentId}`);
      if (!info.originalId) throw new Error(t("languages.notAVersion"));
      const [source, languages] = await Promise.all([
        api.get<DocumentInfo>(`/api/documents/${info.originalId}`),
        api.get<LanguageEntry[]>(`/api/documents/${info.originalId}/languages`),
      ]);
      if (cancelled) return;
      setOriginalLanguage(languages.find((l) => l.original)?.language ?? null);
      setVersion(info);
      setOriginal(source);
      document.title = `${info.symbol} · ${t("languages.sideBySideTitle", { language: String(info.language ?? "").toUpperCase() })} · Accord`;
      const left = connectDocument(source.id);
      const right = connectDocument(info.id);
      connections.push(left, right);
      await Promise.all([left.firstSync, right.firstSync]);
      if (cancelled || !leftHost.current || !rightHost.current) return;
      const leftView = mountTextView(leftHost.current, left, {
        writable: false,
        label: t("languages.originalText"),
        plugins: [alignmentPlugin()],
        lang: languages.find((l) => l.original)?.language ?? source.language ?? "en",
      });
      const rightView = mountTextView(rightHost.current, right, {
        writable: info.access.canWrite,
        label: t("languages.translationText", { language: String(info.language ?? "").toUpperCase() }),
        plugins: [alignmentPlugin(), structureLockPlugin(() => notify(t("languages.structureLocked"), "error"))],
        lang: info.language ?? undefined,
      });
      views.current = { left: leftView, right: rightView };
      cleanups.push(() => {
        leftView.destroy();
        rightView.destroy();
        views.current = null;
      });
      const refresh = () => {
        window.clearTimeout(statusTimer);
        statusTimer = window.setTimeout(() => {
          Promise.all([
            api.get<ParagraphTranslation[]>(`/api/documents/${info.id}/translation-status`),
            api.get<BracketRegister>(`/api/documents/${source.id}/brackets`),
          ])
            .then(([s, b]) => {
              if (cancelled) return;
              setStatuses(s);
              setBrackets(b.brackets);
            })
            .catch((e) => notify(describeError(e), "error"));
        }, STATUS_REFRESH_MS);
      };
      cleanups.push(leftView.onDocChange(refresh), rightView.onDocChange(refresh));
      cleanups.push(right.events.on("translation.changed", refresh), left.events.onPrefix("bracket.", refresh));
      cleanups.push(
        right.onRefusal(({ reason, code, params }) => {
          if (reason.startsWith("presence refused:")) return;
          notify(codeSentence(code, params) ?? reason.replace(/^update refused: /, ""), "error");
          // The refused edit is in this copy only: reopen both texts from the server.
          void right.discardLocal().then(() => !cancelled && setGeneration((g) => g + 1));
        }),
      );
      refresh();
      setReady(true);
    })().catch((e) => !cancelled && setError(describeError(e)));
    return () => {
      cancelled = true;
      window.clearTimeout(statusTimer);
      for (const fn of cleanups) fn();
      for (const c of connections) c.destroy();
      setReady(false);
    };
  }, [api, documentId, generation, notify]);

  // Bands, filter and alignment follow the statuses and every change of either text.
  useEffect(() => {
    const pair = views.current;
    if (!ready || !pair) return;
    const map = new Map(statuses.map((s) => [s.paragraphId, s.status]));
    for (const v of [pair.left.view, pair.right.view]) v.dispatch(setAlignment(v.state, { statuses: map, outdatedOnly }));
    let frame = 0;
    const align = () => {
      cancelAnimationFrame(frame);
      frame = requestAnimationFrame(() => alignColumns(pair.left.view, pair.right.view));
    };
    align();
    const stop = [pair.left.onDocChange(align), pair.right.onDocChange(align)];
    window.addEventListener("resize", align);
    return () => {
      cancelAnimationFrame(frame);
      for (const fn of stop) fn();
      window.removeEventListener("resize", align);
    };
  }, [ready, statuses, outdatedOnly]);

  if (error)
    return (
      <main class="side-by-side-page" data-page="side-by-side" data-editor="failed" id="main">
        <p class="form-error" role="alert">
          {error}
        </p>
        <Link href={documentPath(documentId)}>{t("languages.backToDocument")}</Link>
      </main>
    );

  const language = String(version?.language ?? "").toUpperCase();
  const attention = statuses.filter((s) => s.status === "outdated" || (s.missingBrackets?.length ?? 0) > 0);
  const bracketText = (id: string) => brackets.find((b) => b.id === id)?.text ?? id;
  const markBracket = (paragraphId: string, bracketId: string) => {
    const view = views.current?.right.view;
    if (!view) return;
    const { from, to, $from } = view.state.selection;
    const inParagraph = $from.depth >= 1 && String($from.node(1).attrs.id) === paragraphId;
    if (from === to || !inParagraph) return notify(t("languages.selectWords"), "error");
    const bracket = brackets.find((b) => b.id === bracketId);
    view.dispatch(view.state.tr.addMark(from, to, documentSchema.marks.bracket!.create({ id: bracketId, group: bracket?.group ?? null })));
  };
  const markDone = (p: ParagraphTranslation) => {
    api
      .post(`/api/documents/${documentId}/paragraphs/${p.paragraphId}/translated`)
      .then(() => notify(t("languages.markedDone", { ref: p.ref })))
      .catch((e) => notify(describeError(e), "error"));
  };
  const mayMark = (version?.access.canWrite ?? false) && version?.state !== "adopted";
  return (
    <main class="side-by-side-page" data-page="side-by-side" data-editor={ready ? "ready" : "loading"} id="main">
      <header class="document-header">
        <nav class="breadcrumbs" aria-label={t("document.breadcrumbs")}>
          <Link href="/">{t("home.title")}</Link> › {original && <Link href={documentPath(original.id)}>{original.symbol}</Link>}
        </nav>
        {version && (
          <div class="document-heading">
            <h1>{t("languages.sideBySideTitle", { language })}</h1>
            <div class="document-meta">
              <LanguageCounts api={api} documentId={documentId} current={documentId} />
              <label class="pn-check">
                <input type="checkbox" checked={outdatedOnly} data-filter="outdated" onChange={(e) => setOutdatedOnly(e.currentTarget.checked)} /> {t("languages.showOutdated")}
              </label>
            </div>
          </div>
        )}
      </header>
      <div class="side-by-side">
        <section class="sheet side-original" aria-label={t("languages.originalText")}>
          <h2 class="column-title">
            {originalLanguage ? originalLanguage.toUpperCase() : ""} ({t("languages.original")})
          </h2>
          <div ref={leftHost} class="text-host" data-column="original" />
        </section>
        <section class="sheet side-translation" aria-label={t("languages.translationText", { language })}>
          <h2 class="column-title">{language}</h2>
          <div ref={rightHost} class="text-host" data-column="translation" />
        </section>
      </div>
      <section class="translation-notes" aria-label={t("languages.notes")}>
        <h2>{t("languages.notes")}</h2>
        {attention.length === 0 && <p class="muted">{t("languages.nothingToDo")}</p>}
        <ul>
          {attention.map((p) => (
            <li key={p.paragraphId} data-note-for={p.paragraphId} data-status={p.status}>
              <strong>{p.ref}</strong>{" "}
              {p.status === "outdated" && (
                <>
                  {t("languages.outdatedSince")}{" "}
                  <span class="diff">
                    {(p.originalDiff ?? []).map((run, i) => (
                      <span key={i} class={`diff-${run.op}`}>
                        {run.text}
                      </span>
                    ))}
                  </span>
                  {mayMark && (
                    <button type="button" class="small" data-action="mark-done" onClick={() => markDone(p)}>
                      {t("languages.markDone")}
                    </button>
                  )}
                </>
              )}
              {(p.missingBrackets ?? []).map((id) => (
                <span key={id} class="pn-warning" data-missing-bracket={id}>
                  {" "}
                  {t("languages.bracketWithoutCounterpart", { text: bracketText(id) })}
                  {mayMark && (
                    <button type="button" class="small" data-action="mark-bracket" onClick={() => markBracket(p.paragraphId, id)}>
                      {t("languages.markBracket")}
                    </button>
                  )}
                </span>
              ))}
            </li>
          ))}
        </ul>
        {mayMark && (
          <p>
            <button
              type="button"
              data-action="mark-current-done"
              onClick={() => {
                const view = views.current?.right.view;
                const id = view && view.state.selection.$from.depth >= 1 ? String(view.state.selection.$from.node(1).attrs.id) : null;
                const p = statuses.find((s) => s.paragraphId === id);
                if (p) markDone(p);
                else notify(t("languages.selectWords"), "error");
              }}
            >
              {t("languages.markCaretDone")}
            </button>
          </p>
        )}
      </section>
      <NoticeArea notices={notices} dismiss={dismiss} />
    </main>
  );
}

/**
 * Lines the two columns up paragraph by paragraph: each paragraph takes at least the height
 * of its counterpart. The heights are measured without the previous alignment, so that a
 * paragraph that shrank lets its row shrink too.
 */
function alignColumns(left: EditorView, right: EditorView): void {
  if (left.isDestroyed || right.isDestroyed) return;
  for (const v of [left, right]) v.dispatch(setAlignment(v.state, { heights: new Map() }));
  const measure = (view: EditorView) => {
    const heights = new Map<string, number>();
    for (const el of Array.from(view.dom.children) as HTMLElement[]) {
      const id = el.dataset.id;
      if (id) heights.set(id, el.getBoundingClientRect().height);
    }
    return heights;
  };
  const a = measure(left);
  const b = measure(right);
  const heights = new Map<string, number>();
  for (const [id, h] of a) heights.set(id, Math.ceil(Math.max(h, b.get(id) ?? 0)));
  for (const v of [left, right]) v.dispatch(setAlignment(v.state, { heights }));
}
