/**
 * The Comments panel and the Notes panel: a document's comment threads (every member
 * reads them) and the reader's own delegation's notes (only its members see them), each
 * anchored to words or a paragraph of the text, with replies, mentions, edit and delete of
 * one's own, resolve and reopen. The list follows the live `comment.*` events.
 */
import { useEffect, useMemo, useRef, useState } from "preact/hooks";
import { chairsDocument } from "../../schema/roles.js";
import { COMMENT_MAX_LENGTH, type CommentEntry, type CommentThread, type CommentThreads } from "../../schema/api/comments.js";
import type { NewThreadBody } from "../../schema/api/requests/comments.js";
import { formatDateTime, t } from "../i18n/index.js";
import type { Panel, PanelContext, SessionUser } from "./context.js";
import { NAVIGATED } from "../app/router.js";
import { mountComponent, ProblemNotice, useAction, useCanonical, useDocument, useLoaded } from "./ui/common.js";

/** The window event by which the page's "Comment" action asks the panel to open its form on the selection. */
export const COMMENT_REQUEST_EVENT = "accord:comment-request";

// Set by the page's action before the panel is shown; taken by the panel when it mounts.
let requested = false;

/** Asks the Comments panel to open its form on the current selection (the page then shows the panel). */
export function requestComment(): void {
  requested = true;
  window.dispatchEvent(new Event(COMMENT_REQUEST_EVENT));
}

/** The window event (detail: a thread id) by which a click on commented words shows their thread. */
const COMMENT_FOCUS_EVENT = "accord:comment-focus";

// The thread a click asked for before the panel was shown; taken by the panel when it mounts.
let focusRequested: string | null = null;

/** Shows a thread in its panel (the page then shows the panel): a click on the words it is about. */
export function focusThread(threadId: string): void {
  focusRequested = threadId;
  window.dispatchEvent(new CustomEvent(COMMENT_FOCUS_EVENT, { detail: threadId }));
}

/** Whether `user` may write comments (observers read them) or, for `note`, keep delegation notes. */
export function mayWrite(user: SessionUser, note: boolean): boolean {
  // As the server decides: a delegation's delegates, ministers and observers share its notes.
  if (note) return user.delegation !== null && (user.role === "delegate" || user.role === "minister" || user.role === "observer");
  return user.role !== "observer";
}

/** The thread `?item=` names in the address, if any. */
function itemInAddress(): string | null {
  return new URLSearchParams(location.search).get("item");
}

/** Where a thread stands, in words. */
function anchorText(thread: CommentThread, ref: string): string {
  const a = thread.anchor;
  switch (a.status) {
    case "range":
      return t("comments.onWords", { ref, words: a.text ?? "" });
    case "range_deleted":
      return t("comments.wordsDeleted", { ref, words: a.quote ?? "" });
    case "paragraph_deleted":
      return t("comments.paragraphDeleted", { ref });
    default:
      return t("comments.onParagraph", { ref });
  }
}

function Entry(props: { ctx: PanelContext; entry: CommentEntry; own: boolean }) {
  const { ctx, entry, own } = props;
  const [editing, setEditing] = useState(false);
  const [text, setText] = useState(entry.body ?? "");
  const action = useAction(ctx);
  if (entry.deleted)
    return (
      <li class="comment deleted" data-comment-id={entry.id}>
        <p class="muted small">{t("comments.deleted")}</p>
      </li>
    );
  return (
    <li class="comment" data-comment-id={entry.id}>
      <p class="comment-meta small">
        <strong>{entry.author.displayName}</strong>
        <span class="muted">
          {" "}
          {entry.author.delegation ? `${entry.author.delegation} · ` : ""}
          {formatDateTime(entry.createdAt)}
          {entry.editedAt ? ` · ${t("comments.edited")}` : ""}
        </span>
      </p>
      {editing ? (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            void action.run(() => ctx.api.patch(`/api/comments/${entry.id}`, { body: text })).then((ok) => ok && setEditing(false));
          }}
        >
          <textarea maxLength={COMMENT_MAX_LENGTH} value={text} onInput={(e) => setText((e.target as HTMLTextAreaElement).value)} rows={3} aria-label={t("comments.editLabel")} />
          <div class="pn-actions">
            <button type="submit" disabled={action.busy || !text.trim()}>
              {t("comments.save")}
            </button>
            <button type="button" class="link-button" onClick={() => setEditing(false)}>
              {t("comments.cancel")}
            </button>
          </div>
        </form>
      ) : (
        <p class="comment-body">{entry.body}</p>
      )}
      {own && !editing && (
        <div class="pn-actions small">
          <button type="button" class="link-button" data-action="edit-comment" onClick={() => setEditing(true)}>
            {t("comments.edit")}
          </button>
          <button
            type="button"
            class="link-button"
            data-action="delete-comment"
            onClick={() => window.confirm(t("comments.deleteConfirm")) && void action.run(() => ctx.api.delete(`/api/comments/${entry.id}`))}
          >
            {t("comments.delete")}
          </button>
        </div>
      )}
      <ProblemNotice problem={action.problem} />
    </li>
  );
}

function ThreadView(props: { ctx: PanelContext; thread: CommentThread; ref_: string; focused: boolean; canWrite: boolean }) {
  const { ctx, thread, focused, canWrite } = props;
  const doc = useDocument(ctx);
  const [reply, setReply] = useState("");
  const action = useAction(ctx);
  const el = useRef<HTMLLIElement>(null);
  useEffect(() => {
    if (focused) el.current?.scrollIntoView({ block: "nearest" });
  }, [focused]);
  const opener = thread.comments[0]!;
  const mayResolve = thread.note || opener.author.id === ctx.user.id || chairsDocument(ctx.user, doc);
  return (
    <li ref={el} class={`thread${thread.resolved ? " resolved" : ""}${focused ? " focused" : ""}`} data-thread-id={thread.id} data-anchor={thread.anchor.status}>
      <button type="button" class="link-button thread-anchor small" onClick={() => ctx.view.scrollToParagraph(thread.anchor.paragraphId)}>
        {anchorText(thread, props.ref_)}
      </button>
      <ul class="comments">
        {thread.comments.map((c) => (
          <Entry key={c.id} ctx={ctx} entry={c} own={c.author.id === ctx.user.id} />
        ))}
      </ul>
      {thread.resolved && <p class="muted small">{t("comments.resolvedBy", { who: thread.resolved.by, when: formatDateTime(thread.resolved.at) })}</p>}
      {canWrite && (
        <form
          class="reply"
          onSubmit={(e) => {
            e.preventDefault();
            void action.run(() => ctx.api.post(`/api/comments/${thread.id}/replies`, { body: reply })).then((ok) => ok && setReply(""));
          }}
        >
          <textarea maxLength={COMMENT_MAX_LENGTH}
            value={reply}
            rows={2}
            placeholder={t("comments.replyPlaceholder")}
            aria-label={t("comments.replyLabel")}
            onInput={(e) => setReply((e.target as HTMLTextAreaElement).value)}
          />
          <div class="pn-actions">
            <button type="submit" data-action="reply" disabled={action.busy || !reply.trim()}>
              {t("comments.reply")}
            </button>
            {mayResolve && (
              <button
                type="button"
                class="link-button"
                data-action={thread.resolved ? "reopen" : "resolve"}
                onClick={() => void action.run(() => ctx.api.post(`/api/comments/${thread.id}/${thread.resolved ? "reopen" : "resolve"}`))}
              >
                {thread.resolved ? t("comments.reopen") : t("comments.resolve")}
              </button>
            )}
          </div>
        </form>
      )}
      <ProblemNotice problem={action.problem} />
    </li>
  );
}

/** The form that opens a thread on the selection (words, or the paragraph the caret is in). */
function NewThread(props: { ctx: PanelContext; note: boolean; target: NonNullable<ReturnType<PanelContext["view"]["selectionAnchor"]>>; ref_: string; done: () => void }) {
  const { ctx, note, target } = props;
  const [body, setBody] = useState("");
  const action = useAction(ctx);
  const input = useRef<HTMLTextAreaElement>(null);
  useEffect(() => input.current?.focus(), []);
  return (
    <form
      class="new-thread"
      data-form="new-thread"
      onSubmit={(e) => {
        e.preventDefault();
        const payload: NewThreadBody = { paragraphId: target.paragraphId, body, note, ...(target.range ? { range: target.range } : {}) };
        void action.run(() => ctx.api.post(`/api/documents/${ctx.document().id}/comments`, payload)).then((ok) => ok && props.done());
      }}
    >
      <p class="small muted">{target.quote ? t("comments.onWords", { ref: props.ref_, words: target.quote }) : t("comments.onParagraph", { ref: props.ref_ })}</p>
      <textarea maxLength={COMMENT_MAX_LENGTH}
        ref={input}
        value={body}
        rows={3}
        aria-label={note ? t("notes.newLabel") : t("comments.newLabel")}
        placeholder={note ? t("notes.mentionHint") : t("comments.mentionHint")}
        onInput={(e) => setBody((e.target as HTMLTextAreaElement).value)}
      />
      <div class="pn-actions">
        <button type="submit" data-action="post-comment" disabled={action.busy || !body.trim()}>
          {note ? t("notes.post") : t("comments.post")}
        </button>
        <button type="button" class="link-button" onClick={props.done}>
          {t("comments.cancel")}
        </button>
      </div>
      <ProblemNotice problem={action.problem} />
    </form>
  );
}

function ThreadsPanel(props: { ctx: PanelContext; note: boolean }) {
  const { ctx, note } = props;
  const canonical = useCanonical(ctx);
  const canWrite = mayWrite(ctx.user, note);
  const loaded = useLoaded(ctx, () => ctx.api.get<CommentThreads>(`/api/documents/${ctx.document().id}/comments`), ["comment."]);
  const [target, setTarget] = useState<ReturnType<PanelContext["view"]["selectionAnchor"]>>(null);
  const [showResolved, setShowResolved] = useState(false);
  const [focus, setFocus] = useState<string | null>(() => {
    const asked = focusRequested;
    focusRequested = null;
    return asked ?? itemInAddress();
  });
  const [hint, setHint] = useState(false);

  const compose = () => {
    const anchor = ctx.view.selectionAnchor();
    setHint(anchor === null);
    setTarget(anchor);
  };
  useEffect(() => {
    if (!note && requested && canWrite) {
      requested = false;
      compose();
    }
    const onRequest = () => {
      if (note || !canWrite) return;
      requested = false;
      compose();
    };
    const onNavigated = () => setFocus(itemInAddress());
    const onFocus = (event: Event) => {
      focusRequested = null;
      setFocus((event as CustomEvent<string>).detail);
    };
    window.addEventListener(COMMENT_REQUEST_EVENT, onRequest);
    window.addEventListener(NAVIGATED, onNavigated);
    window.addEventListener(COMMENT_FOCUS_EVENT, onFocus);
    return () => {
      window.removeEventListener(COMMENT_REQUEST_EVENT, onRequest);
      window.removeEventListener(NAVIGATED, onNavigated);
      window.removeEventListener(COMMENT_FOCUS_EVENT, onFocus);
    };
  }, [ctx, note, canWrite]);

  const refOf = (paragraphId: string, stored: string | null) => canonical.paragraphs.find((p) => p.id === paragraphId)?.ref ?? stored ?? t("comments.aParagraph");
  const threads = useMemo(() => (loaded.data?.threads ?? []).filter((th) => th.note === note), [loaded.data, note]);
  const resolved = threads.filter((th) => th.resolved);
  const shown = threads.filter((th) => !th.resolved || showResolved || th.id === focus);
  // Threads in the order of the text, then by time.
  const order = new Map(canonical.paragraphs.map((p, i) => [p.id, i]));
  shown.sort((a, b) => (order.get(a.anchor.paragraphId) ?? 1e9) - (order.get(b.anchor.paragraphId) ?? 1e9));

  return (
    <section class="pn-panel comments-panel" data-note={String(note)}>
      <p class="muted small">{note ? t("notes.explain", { delegation: ctx.user.delegation ?? "" }) : t("comments.explain")}</p>
      {canWrite &&
        (target ? (
          <NewThread ctx={ctx} note={note} target={target} ref_={refOf(target.paragraphId, null)} done={() => setTarget(null)} />
        ) : (
          <button type="button" data-action={note ? "new-note" : "new-comment"} onClick={compose}>
            {note ? t("notes.onSelection") : t("comments.onSelection")}
          </button>
        ))}
      {hint && !target && <p class="muted small">{t("comments.selectFirst")}</p>}
      <ProblemNotice problem={loaded.problem} />
      {loaded.data && threads.length === 0 && <p class="muted">{note ? t("notes.none") : t("comments.none")}</p>}
      <ul class="threads">
        {shown.map((th) => (
          <ThreadView key={th.id} ctx={ctx} thread={th} ref_={refOf(th.anchor.paragraphId, th.anchor.paragraphRef)} focused={th.id === focus} canWrite={canWrite} />
        ))}
      </ul>
      {resolved.length > 0 && (
        <label class="small">
          <input type="checkbox" checked={showResolved} onChange={(e) => setShowResolved((e.target as HTMLInputElement).checked)} />{" "}
          {t("comments.showResolved", { count: resolved.length })}
        </label>
      )}
    </section>
  );
}

/** The Comments panel: every member reads; all but observers write. */
export const commentsPanel: Panel = {
  id: "comments",
  title: t("comments.title"),
  mount: (el, ctx) => mountComponent(el, <ThreadsPanel ctx={ctx} note={false} />),
};

/** The Notes panel: the reader's delegation's own notes; offered to its delegates, ministers and observers. */
export const notesPanel: Panel = {
  id: "notes",
  title: t("notes.title"),
  available: (ctx) => mayWrite(ctx.user, true),
  mount: (el, ctx) => mountComponent(el, <ThreadsPanel ctx={ctx} note={true} />),
};
