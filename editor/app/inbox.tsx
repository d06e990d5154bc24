import { useCallback, useEffect, useRef, useState } from "preact/hooks";
import type { ApiClient } from "../panels/context.js";
import type { InboxChange, InboxPage, InboxSummary, InboxUnread, Notification } from "../../schema/api/notifications.js";
import type { MarkReadBody } from "../../schema/api/requests/notifications.js";
import { describeError } from "../api/client.js";
import { formatDateTime, t } from "../i18n/index.js";
import { documentPlacePath, followLink } from "./router.js";

/**
 * The window event by which the app bar's inbox passes on the live inbox events it hears
 * (`notification.added`, `notification.read`, data `{meetingId, unread}`) to the page (the
 * meeting home's counts).
 */
export const INBOX_EVENT = "accord:inbox";

/** The sentence of a notification in the interface language, from the facts it carries. */
export function notificationText(n: Notification): string {
  const d = n.details as Record<string, string | number | boolean | null | undefined>;
  const symbol = String(d.symbol ?? "");
  const ref = String(d.paragraphRef ?? d.ref ?? "");
  switch (n.kind) {
    case "amendment_decided": {
      const decision =
        d.decision === "accepted"
          ? t("inbox.decision.accepted")
          : d.decision === "accepted_as_modified"
            ? t("inbox.decision.acceptedAsModified")
            : t("inbox.decision.rejected");
      return t("inbox.amendmentDecided", { symbol, number: String(d.number ?? ""), ref, sponsor: String(d.sponsor ?? ""), decision });
    }
    case "bracket_resolved":
      return t("inbox.bracketResolved", { symbol, label: String(d.label ?? ""), ref });
    case "signature_pending":
      return t("inbox.signaturePending", { symbol });
    case "source_changed":
      return t("inbox.sourceChanged", { symbol, source: String(d.sourceSymbol ?? ""), count: n.times });
    case "change_declined":
      return t("inbox.changeDeclined", { symbol, source: `${d.sourceSymbol ?? ""} ${d.sourceRef ?? ""}`.trim(), ref });
    case "mention":
      return d.note
        ? t("inbox.mentionNote", { who: n.actor?.username ?? "", symbol, ref })
        : t("inbox.mention", { who: n.actor?.username ?? "", symbol, ref });
    default:
      return n.summary;
  }
}

/** Where a notification leads: the document page, its panel open on the thing, the text at the paragraph. */
export function notificationPath(n: Notification): string | null {
  if (!n.link) return null;
  return documentPlacePath(n.link.documentId, { paragraphId: n.link.paragraphId, panel: n.link.panel, item: n.link.targetId });
}

/**
 * The inbox in the app bar: an icon with the unread count, opening the list of the
 * member's notifications (newest first, older on request), each a link to its place;
 * opening one marks it read, and all can be marked read at once. Live on every page: it
 * listens to the member's inbox stream (`…/notifications/live`), counts again whenever the
 * stream (re)opens, since events may have been missed while it was down, and passes each
 * event on to the page (INBOX_EVENT).
 */
export function InboxButton(props: { api: ApiClient; meetingId: string }) {
  const { api, meetingId } = props;
  const [unread, setUnread] = useState<number | null>(null);
  const [open, setOpen] = useState(false);
  const [page, setPage] = useState<InboxPage | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const box = useRef<HTMLDivElement>(null);
  const base = `/api/meetings/${encodeURIComponent(meetingId)}/notifications`;

  const count = useCallback(() => {
    api
      .get<InboxSummary>(`${base}/unread`)
      .then((s) => setUnread(s.unread))
      .catch(() => undefined);
  }, [api, base]);

  const load = useCallback(
    async (before?: number) => {
      try {
        const next = await api.get<InboxPage>(`${base}?limit=30${before ? `&before=${before}` : ""}`);
        setUnread(next.unread);
        setPage((prev) => (before && prev ? { ...next, notifications: [...prev.notifications, ...next.notifications] } : next));
        setProblem(null);
      } catch (e) {
        setProblem(describeError(e));
      }
    },
    [api, base],
  );

  // The live stream, for as long as the app bar shows this meeting's inbox.
  const opened = useRef(open);
  opened.current = open;
  useEffect(() => {
    const stream = new EventSource(`${base}/live`);
    stream.onopen = count;
    stream.onmessage = (message) => {
      let event: { type?: string; data?: InboxChange };
      try {
        event = JSON.parse(message.data as string);
      } catch {
        return;
      }
      const data = event.data;
      if (!event.type?.startsWith("notification.") || !data || data.meetingId !== meetingId) return;
      setUnread(data.unread);
      if (opened.current) void load();
      window.dispatchEvent(new CustomEvent(INBOX_EVENT, { detail: data }));
    };
    return () => stream.close();
  }, [base, count, load, meetingId]);

  useEffect(() => {
    if (!open) return;
    void load();
    const onKey = (event: KeyboardEvent) => event.key === "Escape" && setOpen(false);
    const onClick = (event: MouseEvent) => box.current && !box.current.contains(event.target as Node) && setOpen(false);
    window.addEventListener("keydown", onKey);
    window.addEventListener("mousedown", onClick);
    return () => {
      window.removeEventListener("keydown", onKey);
      window.removeEventListener("mousedown", onClick);
    };
  }, [open, load]);

  const markRead = async (body: MarkReadBody) => {
    try {
      const answer = await api.post<InboxUnread>(`${base}/read`, body);
      setUnread(answer.unread);
      const now = new Date().toISOString();
      setPage((prev) =>
        prev && {
          ...prev,
          unread: answer.unread,
          notifications: prev.notifications.map((n) => ("all" in body || body.ids.includes(n.id) ? { ...n, readAt: n.readAt ?? now } : n)),
        },
      );
    } catch (e) {
      setProblem(describeError(e));
    }
  };

  const label = unread ? t("inbox.labelUnread", { count: unread }) : t("inbox.label");
  return (
    <div class="inbox" ref={box}>
      <button
        type="button"
        class="inbox-button"
        aria-label={label}
        title={label}
        aria-expanded={open}
        aria-haspopup="dialog"
        data-unread={String(unread ?? 0)}
        onClick={() => setOpen(!open)}
      >
        <svg aria-hidden="true" viewBox="0 0 24 24" width="18" height="18">
          <path d="M3 13l3-8h12l3 8v6H3zM3 13h5l1 2h6l1-2h5" fill="none" stroke="currentColor" stroke-width="1.8" stroke-linejoin="round" />
        </svg>
        {unread ? <span class="inbox-count">{unread}</span> : null}
      </button>
      {open && (
        <div class="inbox-list" role="dialog" aria-label={t("inbox.title")}>
          <div class="inbox-head">
            <strong>{t("inbox.title")}</strong>
            <button type="button" class="link-button" data-action="mark-all-read" disabled={!unread} onClick={() => void markRead({ all: true })}>
              {t("inbox.markAllRead")}
            </button>
          </div>
          {problem && (
            <p class="form-error" role="alert">
              {problem}
            </p>
          )}
          {page && page.notifications.length === 0 && <p class="muted">{t("inbox.empty")}</p>}
          <ul>
            {page?.notifications.map((n) => {
              const path = notificationPath(n);
              const text = notificationText(n);
              return (
                <li key={n.id} class={n.readAt ? "read" : "unread"} data-notification={n.kind} data-notification-id={String(n.id)}>
                  {path ? (
                    <a
                      href={path}
                      onClick={(e) => {
                        if (!n.readAt) void markRead({ ids: [n.id] });
                        setOpen(false);
                        followLink(e, path);
                      }}
                    >
                      {text}
                    </a>
                  ) : (
                    <span>{text}</span>
                  )}
                  <span class="muted small">
                    {formatDateTime(n.createdAt)}
                    {n.actor ? ` · ${n.actor.username}` : ""}
                  </span>
                  {!n.readAt && (
                    <button type="button" class="link-button small" data-action="mark-read" onClick={() => void markRead({ ids: [n.id] })}>
                      {t("inbox.markRead")}
                    </button>
                  )}
                </li>
              );
            })}
          </ul>
          {page?.next && (
            <button type="button" class="link-button" onClick={() => void load(page.next!)}>
              {t("inbox.older")}
            </button>
          )}
        </div>
      )}
    </div>
  );
}
