import { useCallback, useEffect, useRef, useState } from "preact/hooks";
import { ApiError, type ApiClient, type DocumentInfo, type PanelContext, type SessionUser } from "../panels/context.js";
import { PANELS } from "../panels/index.js";
import { describeError } from "../api/client.js";
import { connectDocument, type ConnectionStatus, type DocumentConnection, type LocalCopy, type Refusal } from "../document/connection.js";
import { mountTextView, type TextView } from "../document/text-view.js";
import { createViewAccess } from "../document/view-access.js";
import { loadNegotiationMarks } from "../document/negotiation.js";
import { announce, participants, type Participant } from "../document/presence.js";
import { Toolbar } from "../document/toolbar.js";
import { PresenceList } from "../document/presence-list.js";
import { StatusLegend } from "../document/status-legend.js";
import { GoToParagraph } from "../document/go-to.js";
import { StatusMenu, statusMenuTarget, type StatusMenuTarget } from "../document/status-menu.js";
import { SearchBar } from "../document/search-bar.js";
import { matches, PAGE_SHORTCUTS, ShortcutList } from "../document/shortcuts.js";
import { Link } from "./link.js";
import { NoticeArea, useNotices } from "./notices.js";
import { PanelsArea } from "./panels-area.js";
import { StateBadge } from "./state-badge.js";
import { KIND_LABELS } from "./words.js";
import { ExportMenu } from "../panels/ui/export-menu.js";
import { LanguageCounts } from "../document/languages.js";
import { codeSentence, t, formatNumber } from "../i18n/index.js";
import { focusThread, mayWrite, requestComment } from "../panels/comments.js";
import type { CommentThreads } from "../../schema/api/comments.js";
import { OPEN_PANEL_EVENT } from "./panels-area.js";
import { referenceNotesPlugin } from "../document/plugins/reference-notes.js";
import { addReferenceNoteAtCaret, editReferenceNote, showReferenceNotes } from "../document/reference-notes.js";
import { NAVIGATED } from "./router.js";

import type { AccessChange } from "../../schema/api/events.js";
import type { DocumentMasthead } from "../../schema/api/documents.js";

/** Bracket and status events arrive in bursts (a resolution touches several); redraw once. */
const MARKS_REFRESH_MS = 150;

/** How long after a refused update the text is reopened from the server (a burst of refusals reopens once). */
const REFUSAL_RESYNC_MS = 400;

/** After this long without the text, the page says it is still waiting. */
const SLOW_OPEN_MS = 4000;

/** Where the reader was when the text was reopened, to put them back there. */
let resumeScroll: number | null = null;

/** A document open on this page: its connection, its text view, and the panels' context. */
interface OpenDocument {
  connection: DocumentConnection;
  text: TextView;
  ctx: PanelContext;
}

/**
 * The document page: the text as an official document in the middle, live with everyone
 * else's edits; the toolbar, who is here and the connection state above it; the panels at
 * the side. The text view is created only after the first sync with the server.
 */
export function DocumentPage(props: { api: ApiClient; user: SessionUser; documentId: string }) {
  const { api, user, documentId } = props;
  const textHost = useRef<HTMLDivElement>(null);
  const [info, setInfo] = useState<DocumentInfo | null>(null);
  const [infoVersion, setInfoVersion] = useState(0);
  const [open, setOpen] = useState<OpenDocument | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [status, setStatus] = useState<ConnectionStatus>({ online: true, closedFor: null });
  const [local, setLocal] = useState<LocalCopy>({ unsent: 0, keptIn: "browser" });
  const [people, setPeople] = useState<Participant[]>([]);
  const [notices, notify, dismiss] = useNotices();
  // The status menu a click on a paragraph's band opened, if any.
  const [statusMenu, setStatusMenu] = useState<StatusMenuTarget | null>(null);
  const closeStatusMenu = useCallback(() => setStatusMenu(null), []);
  const [searching, setSearching] = useState(false);
  const closeSearch = useCallback(() => setSearching(false), []);
  const [helping, setHelping] = useState(false);
  const closeHelp = useCallback(() => setHelping(false), []);
  // Bumped to reopen the text from the server's copy after a refusal (see below).
  const [generation, setGeneration] = useState(0);
  // Opening takes well under a second; if it has not happened after a few, say so.
  const [slow, setSlow] = useState(false);
  useEffect(() => {
    setSlow(false);
    if (open) return;
    const timer = window.setTimeout(() => setSlow(true), SLOW_OPEN_MS);
    return () => window.clearTimeout(timer);
  }, [open]);
  // Presenting: the text alone, large, for the room's shared screen.
  const [presenting, setPresenting] = useState(false);
  useEffect(() => {
    if (!presenting) return;
    const onKey = (event: KeyboardEvent) => event.key === "Escape" && setPresenting(false);
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [presenting]);

  useEffect(() => {
    let cancelled = false;
    let connection: DocumentConnection | null = null;
    let text: TextView | null = null;
    let current: DocumentInfo | null = null;
    const cleanups: Array<() => void> = [];
    const setCurrent = (next: DocumentInfo) => {
      current = next;
      setInfo(next);
      setInfoVersion((v) => v + 1);
    };

    (async () => {
      // Marks for bench/editor-open.ts: from asking for the document to typing in it.
      performance.mark("accord:document-requested");
      // The socket opens while the document info loads: the two are independent, and the
      // first sync is most of the wait on a long text.
      connection = connectDocument(documentId, { localKey: user.id });
      const { events, awareness } = connection;
      announce(awareness, user);

      // Write access follows the server at once: on connect and whenever it changes. The
      // first report may come before the document info; it is kept and applied then.
      let access: AccessChange | null = null;
      const applyAccess = () => {
        if (!access || !current) return;
        text?.setWritable(access.canWrite);
        if (current.access.canWrite !== access.canWrite || current.state !== access.state || current.access.reason !== access.reason)
          setCurrent({
            ...current,
            state: access.state,
            access: { ...current.access, canWrite: access.canWrite, reason: access.reason, reasonCode: access.reasonCode, reasonParams: access.reasonParams },
          });
      };
      cleanups.push(
        events.on("access.changed", (event) => {
          access = event.data;
          applyAccess();
        }),
      );

      try {
        setCurrent(await api.get<DocumentInfo>(`/api/documents/${documentId}`));
      } catch (e) {
        if (!cancelled) setError(describeError(e));
        return;
      }
      if (cancelled) return;
      applyAccess();
      document.title = `${current!.symbol} · ${current!.title} · Accord`;
      // Printed from the page, the symbol heads every page after the first (which has the masthead).
      const header = document.createElement("style");
      header.dataset.print = "running-header";
      header.textContent = runningHeader(current!.symbol);
      document.head.append(header);
      cleanups.push(() => header.remove());
      const showPeople = () => setPeople(participants(awareness, user));
      awareness.on("change", showPeople);
      cleanups.push(() => awareness.off("change", showPeople));
      cleanups.push(connection.onStatus(setStatus));
      setLocal(connection.local());
      cleanups.push(connection.onLocal(setLocal));
      // After a refusal every later local edit builds on text the server does not have, and
      // would be refused too: tell the person why, then reopen the text from the server.
      let resyncing = false;
      cleanups.push(
        connection.onRefusal((refusal) => {
          const { reason } = refusal;
          // Refused presence leaves the text alone; an update held back (the server's disk)
          // stays here and the server asks for it again: neither reopens the text.
          if (reason.startsWith("presence refused:")) return;
          if (reason.startsWith("update held back:")) return notify(t("document.heldBack", { reason: reason.replace(/^update held back: /, "").split(";")[0] ?? "" }), "error");
          notify(reasonForPerson(refusal, access ?? current?.access ?? null), "error");
          if (resyncing) return;
          resyncing = true;
          resumeScroll = window.scrollY;
          // The browser's copy holds the refused edit: reopened from it, the text would be refused again.
          const discarded = connection!.discardLocal().catch(() => undefined);
          window.setTimeout(() => void discarded.then(() => !cancelled && setGeneration((g) => g + 1)), REFUSAL_RESYNC_MS);
        }),
      );

      const refreshDocument = async () => {
        const next = await api.get<DocumentInfo>(`/api/documents/${documentId}`);
        if (cancelled) return;
        setCurrent(next);
        events.emit({ type: "document.refreshed", documentId, at: new Date().toISOString(), data: next });
      };
      cleanups.push(
        events.on("*", (event) => {
          if (event.type === "document.refreshed" || event.type === "access.changed") return;
          if (event.type.startsWith("document.") || event.type.startsWith("signature.") || event.type === "version.created") {
            refreshDocument().catch((e) => notify(describeError(e), "error"));
          }
        }),
      );

      await connection.firstSync;
      performance.mark("accord:first-sync");
      if (cancelled || !textHost.current) return;
      text = mountTextView(textHost.current, connection, {
        // The secretariat's reference footnotes; the secretariat edits one by clicking its marker.
        plugins: [
          referenceNotesPlugin(
            connection.doc,
            user.role === "secretariat" ? (note) => void editReferenceNote(api, note.id, note.text, notify) : null,
          ),
        ],
        writable: current!.access.canWrite,
        label: t("document.textOf", { symbol: current!.symbol }),
        status: {
          onBand: (paragraphId, band, extend) => text && setStatusMenu(statusMenuTarget(text.view, paragraphId, band, extend)),
          onLocked: (sentence) => notify(sentence, "error"),
        },
      });
      performance.mark("accord:editable");
      if (resumeScroll !== null) window.scrollTo(0, resumeScroll);
      else if (!location.hash) restoreReadingPlace(documentId, textHost.current);
      resumeScroll = null;
      cleanups.push(rememberReadingPlace(documentId, textHost.current));

      let marksTimer: number | null = null;
      const refreshMarks = () => {
        if (marksTimer !== null) return;
        marksTimer = window.setTimeout(() => {
          marksTimer = null;
          loadNegotiationMarks(api, documentId)
            .then((marks) => {
              if (cancelled || !text) return;
              text.setBrackets(marks.brackets);
              text.setStatuses(marks.statuses);
              text.setFrozenLabels(marks.frozen);
            })
            .catch((e) => {
              // Offline: say nothing; the marks are fetched again when the connection returns.
              if (!(e instanceof ApiError && e.status === 0)) notify(t("document.marksNotLoaded", { error: describeError(e) }), "error");
            });
        }, MARKS_REFRESH_MS);
      };
      refreshMarks();
      cleanups.push(connection.onStatus((s) => s.online && refreshMarks()));
      cleanups.push(events.onPrefix("bracket.", refreshMarks));
      cleanups.push(events.onPrefix("paragraph.", refreshMarks));
      // Accepting an amendment can bring new paragraphs with their own statuses.
      cleanups.push(events.onPrefix("amendment.", refreshMarks));
      // Numbers frozen when the document leaves the draft, or renumbered by the secretariat.
      cleanups.push(events.onPrefix("numbering.", refreshMarks));
      cleanups.push(() => marksTimer !== null && window.clearTimeout(marksTimer));

      // Comment threads drawn in the text (open ones only), following the live comment events.
      const refreshComments = () => {
        api
          .get<CommentThreads>(`/api/documents/${documentId}/comments`)
          .then(({ threads }) => {
            if (cancelled || !text) return;
            text.setComments(
              threads
                .filter((th) => !th.resolved && th.anchor.status !== "paragraph_deleted")
                .map((th) => ({
                  id: th.id,
                  paragraphId: th.anchor.paragraphId,
                  start: th.anchor.status === "range" ? th.anchor.start : null,
                  end: th.anchor.status === "range" ? th.anchor.end : null,
                  note: th.note,
                  title: th.comments.filter((c) => !c.deleted).map((c) => `${c.author.username}: ${c.body}`).join("\n"),
                })),
            );
          })
          .catch(() => undefined);
      };
      refreshComments();
      cleanups.push(events.onPrefix("comment.", refreshComments));
      // A click on commented words shows their thread (in Notes for a note).
      const onTextClick = (event: MouseEvent) => {
        const words = (event.target as HTMLElement | null)?.closest<HTMLElement>(".comment-range[data-comment-thread], .note-range[data-comment-thread]");
        if (!words) return;
        focusThread(words.dataset.commentThread!);
        window.dispatchEvent(new CustomEvent(OPEN_PANEL_EVENT, { detail: words.classList.contains("note-range") ? "notes" : "comments" }));
      };
      const host = textHost.current;
      host.addEventListener("click", onTextClick);
      cleanups.push(() => host.removeEventListener("click", onTextClick));
      const refreshNotes = () => {
        if (!cancelled && text) showReferenceNotes(api, documentId, text.view).catch(() => undefined);
      };
      refreshNotes();
      cleanups.push(events.onPrefix("footnote.", refreshNotes));

      const ctx: PanelContext = {
        api,
        user,
        document: () => current!,
        refreshDocument,
        onEvent: (type, fn) => events.on(type, fn),
        view: createViewAccess(text, connection),
        notify,
      };
      setOpen({ connection, text, ctx });
      // A link to a paragraph (/documents/…#<paragraph id>) opens the text there; a link
      // followed while the page is open (a notification) does the same, and opens its panel.
      const followPlace = () => {
        if (location.pathname !== `/documents/${documentId}`) return;
        const panel = new URLSearchParams(location.search).get("panel");
        if (panel) window.dispatchEvent(new CustomEvent(OPEN_PANEL_EVENT, { detail: panel }));
        const linked = decodeURIComponent(location.hash.slice(1));
        if (linked) ctx.view.scrollToParagraph(linked);
      };
      followPlace();
      window.addEventListener(NAVIGATED, followPlace);
      cleanups.push(() => window.removeEventListener(NAVIGATED, followPlace));
      showPeople();
    })().catch((e) => !cancelled && setError(describeError(e)));

    return () => {
      cancelled = true;
      for (const fn of cleanups) fn();
      text?.destroy();
      connection?.destroy();
      setOpen(null);
    };
  }, [api, user, documentId, notify, generation]);

  // The page's shortcuts: find, bracket, and "?" for the list (outside the text and fields, where "?" is typed).
  useEffect(() => {
    if (!open) return;
    const onKey = (event: KeyboardEvent) => {
      const target = event.target as HTMLElement | null;
      const typing = !!target && (target.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(target.tagName));
      if (matches(event, PAGE_SHORTCUTS.find)) {
        event.preventDefault();
        setSearching(true);
      } else if (matches(event, PAGE_SHORTCUTS.bracket) && user.role === "delegate" && open.ctx.document().access.canWrite) {
        event.preventDefault();
        bracketSelection(open.ctx);
      } else if (matches(event, PAGE_SHORTCUTS.comment) && mayWrite(user, false)) {
        event.preventDefault();
        commentOnSelection();
      } else if (event.key === "?" && !typing && !event.ctrlKey && !event.metaKey) {
        event.preventDefault();
        setHelping(true);
      }
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [open, user]);

  if (error) {
    return (
      <main class="document-page" data-page="document" data-editor="failed" id="main">
        <p class="form-error" role="alert">
          {t("document.notOpened", { error })}
        </p>
        <Link href="/">{t("app.backToDocuments")}</Link>
      </main>
    );
  }

  const writable = info?.access.canWrite ?? false;
  const offline = open !== null && !status.online;
  return (
    <main
      class={`document-page${presenting ? " presenting" : ""}`}
      data-page="document"
      data-editor={open ? "ready" : "loading"}
      data-connection={status.online ? "online" : "offline"}
      data-unsent={String(local.unsent)}
      data-can-write={String(writable)}
      id="main"
    >
      <header class="document-header">
        <nav class="breadcrumbs" aria-label={t("document.breadcrumbs")}>
          <Link href="/">{t("home.title")}</Link>
        </nav>
        {info && (
          <div class="document-heading">
            <p class="symbol">{info.symbol}</p>
            <Masthead masthead={info.masthead} />
            <h1>{info.title}</h1>
            <div class="document-meta">
              <span class="muted">{KIND_LABELS[info.kind]}</span>
              <StateBadge state={info.state} />
              {!writable && (
                <span class="read-only" data-read-only>
                  {info.access.reason
                    ? t("document.readOnlyBecause", { reason: codeSentence(info.access.reasonCode, info.access.reasonParams) ?? info.access.reason })
                    : t("document.readOnly")}
                </span>
              )}
              <StatusLegend />
              <ExportMenu documentId={info.id} />
              <LanguageCounts api={api} documentId={info.id} current={info.id} />
            </div>
          </div>
        )}
      </header>
      {offline && <OfflineBanner status={status} local={local} />}
      <div class="document-layout">
        <section class="text-column" aria-label={t("document.text")}>
          <div class="text-bar">
            {/* Nothing the server would refuse is offered: no editing tools for a read-only text. */}
            {writable ? (
              <Toolbar
                view={open?.text.view ?? null}
                writable={!status.closedFor}
                onBracket={user.role === "delegate" && open ? () => bracketSelection(open.ctx) : undefined}
              />
            ) : (
              <p class="read-only-note">{t("document.readOnlyText")}</p>
            )}
            <div class="text-bar-end">
              {open && (searching ? <SearchBar view={open.text.view} onTextChange={open.text.onDocChange} close={closeSearch} /> : (
                <button type="button" class="find-button" onClick={() => setSearching(true)} title={t("document.findTitle")}>
                  {t("document.find")}
                </button>
              ))}
              {open && mayWrite(user, false) && (
                <button type="button" class="comment-button" data-action="comment" onClick={commentOnSelection} title={t("comments.actionHint")}>
                  {t("comments.action")}
                </button>
              )}
              {open && user.role === "secretariat" && (
                <button
                  type="button"
                  class="footnote-button"
                  data-action="footnote"
                  onMouseDown={(e) => e.preventDefault()}
                  onClick={() => void addReferenceNoteAtCaret(api, documentId, open.text.view, notify)}
                  title={t("footnotes.actionHint")}
                >
                  {t("footnotes.action")}
                </button>
              )}
              {open && <GoToParagraph view={open.ctx.view} />}
              <button type="button" class="help-button" onClick={() => setHelping(true)} title={t("document.shortcutsTitle")} aria-label={t("document.shortcuts")}>
                ?
              </button>
              <PresenceList people={people} />
              <button type="button" class="present-button" aria-pressed={presenting} onClick={() => setPresenting(!presenting)}>
                {presenting ? t("document.leavePresentation") : t("document.present")}
              </button>
            </div>
          </div>
          <article class="sheet">
            {!open && (
              <p class="muted loading" role="status">
                {slow ? t("document.slow") : t("document.opening")}
              </p>
            )}
            <div ref={textHost} class="text-host" />
          </article>
        </section>
        {open && <PanelsArea panels={PANELS} ctx={open.ctx} version={infoVersion} />}
      </div>
      {open && statusMenu && (
        <StatusMenu
          api={api}
          user={user}
          documentId={documentId}
          view={open.text.view}
          target={statusMenu}
          notify={notify}
          close={closeStatusMenu}
        />
      )}
      {helping && <ShortcutList close={closeHelp} />}
      <NoticeArea notices={notices} dismiss={dismiss} />
    </main>
  );
}

/** The "Comment" action: the Comments panel shows, with its form open on the selection. */
function commentOnSelection(): void {
  requestComment();
  window.dispatchEvent(new CustomEvent(OPEN_PANEL_EVENT, { detail: "comments" }));
}

/** The banner shown while the live connection is down: where the unsent edits are, truly. */
function OfflineBanner(props: { status: ConnectionStatus; local: LocalCopy }) {
  const { unsent, keptIn } = props.local;
  const kept =
    unsent === 0
      ? t("document.allSent")
      : keptIn === "browser"
        ? t("document.unsentInBrowser", { count: unsent, n: formatNumber(unsent) })
        : keptIn === "saving"
          ? t("document.unsentSaving", { count: unsent, n: formatNumber(unsent) })
          : t("document.unsentInWindow", { count: unsent, n: formatNumber(unsent) });
  return (
    <div class="offline-banner" role="alert" data-offline-banner>
      {props.status.closedFor ? (
        <>
          <strong>{t("document.disconnected")}</strong> {props.status.closedFor}.
        </>
      ) : (
        <>
          <strong>{t("document.offline")}</strong> {kept}
        </>
      )}
    </div>
  );
}

/**
 * The server's refusal, in words for the person whose edit it was. A refusal for the reason
 * the text is read-only is worded by that reason's code, as the page's read-only note is.
 */
function reasonForPerson(refusal: Refusal, access: Pick<AccessChange, "reason" | "reasonCode" | "reasonParams"> | null): string {
  const text = refusal.reason.replace(/^update refused: /, "");
  const worded = codeSentence(refusal.code, refusal.params) ?? (access && access.reason === text ? codeSentence(access.reasonCode, access.reasonParams) : null);
  return t("document.refused", { reason: worded ?? text });
}

/**
 * Opens a bracket on the selected words in the delegate's name, from the toolbar: the same
 * command as the Brackets panel's, where holds, options and resolution then live.
 */
function bracketSelection(ctx: PanelContext): void {
  const selection = ctx.view.selection();
  // A selection across paragraphs brackets them whole, as one bracket.
  const paragraphs = selection ? [] : ctx.view.selectedParagraphs();
  if (paragraphs.length > 1) {
    ctx.api
      .post(`/api/documents/${ctx.document().id}/brackets`, { paragraphIds: paragraphs })
      .then(() => ctx.notify(t("brackets.paragraphsOpened", { count: paragraphs.length }), "info"))
      .catch((e: unknown) => ctx.notify(describeError(e), "error"));
    return;
  }
  if (!selection || selection.from === selection.to) {
    ctx.notify(t("document.selectToBracket"), "error");
    return;
  }
  ctx.api
    .post(`/api/documents/${ctx.document().id}/brackets`, { paragraphId: selection.paragraphId, from: selection.from, to: selection.to })
    .then(() => ctx.notify(t("document.bracketed", { text: selection.text }), "info"))
    .catch((e: unknown) => ctx.notify(describeError(e), "error"));
}

/** The masthead's fields under the symbol, as the document prints them: series, date, original language, distribution, agenda item, sponsors. */
function Masthead(props: { masthead: DocumentMasthead | null }) {
  const m = props.masthead;
  if (!m) return null;
  const fields = [
    m.series,
    m.date,
    m.originalLanguage && t("masthead.original", { language: m.originalLanguage }),
    m.distribution && t("masthead.distribution", { distribution: m.distribution }),
    m.agendaItem && t("masthead.agendaItem", { item: m.agendaItem }),
    m.sponsors && t("masthead.sponsors", { sponsors: m.sponsors }),
  ].filter((f): f is string => !!f);
  if (fields.length === 0) return null;
  return (
    <p class="masthead-fields muted small" data-masthead>
      {fields.join(" · ")}
    </p>
  );
}

/** The print rule that puts `symbol` at the top of every page but the first; the symbol is quoted as a CSS string. */
function runningHeader(symbol: string): string {
  const quoted = `"${symbol.replace(/[\\"]/g, "\\$&").replace(/[\n\r<]/g, " ")}"`;
  return `@page { @top-right { content: ${quoted}; font: 9pt system-ui, sans-serif; color: #333; } } @page :first { @top-right { content: none; } }`;
}

/** Where a reader of one document was, kept in this tab (sessionStorage) across reloads. */
const READING_PLACE = (documentId: string) => `accord:place:${documentId}`;

/**
 * Keeps where the reader is in the text: the paragraph at the top of the window and how far
 * below the top it stands. A paragraph, not a pixel offset: the page above the text (the
 * masthead, bands, panels) settles after a reload, and a pixel offset would land elsewhere.
 * Returns what stops it.
 */
function rememberReadingPlace(documentId: string, host: HTMLElement): () => void {
  let timer = 0;
  const remember = () => {
    window.clearTimeout(timer);
    timer = window.setTimeout(() => {
      const blocks = host.querySelectorAll<HTMLElement>(".ProseMirror > [data-id]");
      for (const block of blocks) {
        const top = block.getBoundingClientRect().top;
        if (block.getBoundingClientRect().bottom <= 0) continue;
        sessionStorage.setItem(READING_PLACE(documentId), JSON.stringify({ paragraphId: block.dataset.id, top: Math.round(top) }));
        return;
      }
    }, 200);
  };
  window.addEventListener("scroll", remember, { passive: true });
  return () => {
    window.clearTimeout(timer);
    window.removeEventListener("scroll", remember);
  };
}

/** Scrolls back to where the reader was in this document before a reload, if they had scrolled. */
function restoreReadingPlace(documentId: string, host: HTMLElement): void {
  // The browser's own restoring (a pixel offset, taken before the text is there) would fight ours.
  history.scrollRestoration = "manual";
  let place: { paragraphId?: unknown; top?: unknown } | null = null;
  try {
    place = JSON.parse(sessionStorage.getItem(READING_PLACE(documentId)) ?? "null");
  } catch {
    return;
  }
  if (!place || typeof place.paragraphId !== "string" || typeof place.top !== "number") return;
  const block = host.querySelector<HTMLElement>(`.ProseMirror > [data-id="${CSS.escape(place.paragraphId)}"]`);
  if (block) window.scrollBy(0, block.getBoundingClientRect().top - place.top);
}
