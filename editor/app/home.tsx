import { useEffect, useState } from "preact/hooks";
import type { ApiClient, SessionUser } from "../panels/context.js";
import type { InboxSummary } from "../../schema/api/notifications.js";
import { INBOX_EVENT } from "./inbox.js";
import type { BodyInfo, MeetingInfo } from "../../schema/api/meetings.js";
import type { DocumentSummary } from "../../schema/api/documents.js";
import { describeError } from "../api/client.js";
import type { Amendment, BracketRegister } from "../panels/ui/types.js";
import { Link } from "./link.js";
import { documentPath, documentPlacePath, IMPORT_PATH, meetingPath, minePath } from "./router.js";
import { runsMeeting, type SessionPerson } from "./session.js";
import { meetingDates } from "./meetings-page.js";

const SECTION_LINKS = { settings: "home.settings", members: "home.members", bodies: "home.bodies", "new-document": "home.newDocument" } as const;
import { StateBadge } from "./state-badge.js";
import { CONSOLIDATE_GROUP_REPORTS } from "../panels/consolidation.js";
import { LanguageCounts } from "../document/languages.js";
import { KIND_LABELS } from "./words.js";
import { t, formatList } from "../i18n/index.js";

/** Open brackets and tabled amendments of one document; null where the server could not say. */
interface Counts {
  openBrackets: number | null;
  tabledAmendments: number | null;
}

/** A count from an answer of the server; null when it failed (the home still shows, with "—"). */
async function countOf<T>(answer: Promise<T>, count: (answer: T) => number): Promise<number | null> {
  try {
    return count(await answer);
  } catch (error) {
    console.warn(describeError(error));
    return null;
  }
}

/** Loads the negotiation counts of a document. */
async function countsOf(api: ApiClient, documentId: string): Promise<Counts> {
  const [openBrackets, tabledAmendments] = await Promise.all([
    countOf(api.get<BracketRegister>(`/api/documents/${documentId}/brackets`), (a) => a.brackets.filter((b) => b.state === "open").length),
    countOf(api.get<Amendment[]>(`/api/documents/${documentId}/amendments?state=tabled`), (a) => a.length),
  ]);
  return { openBrackets, tabledAmendments };
}

/** A count at a glance: zero is quiet, anything else stands out; "—" where the server cannot say. */
function Count(props: { value: number | null | undefined }) {
  if (props.value === undefined) return <span class="count muted">…</span>;
  if (props.value === null) return <span class="count muted" title={t("home.countUnavailable")}>—</span>;
  return <span class={`count${props.value > 0 ? " count-open" : " muted"}`}>{props.value}</span>;
}

/**
 * The meeting home: the meeting, its bodies in order of precedence, and under each its
 * documents with symbol, state, open brackets and tabled amendments at a glance. Its
 * secretariat (and the administrator) also find the meeting's setup here.
 */
export function HomePage(props: { api: ApiClient; user: SessionUser | null; person: SessionPerson; meetingId?: string }) {
  const { api, user, person } = props;
  const member = user !== null;
  const meetingId = props.meetingId ?? user?.meetingId ?? "";
  const setsUp = runsMeeting(person, meetingId);
  const several = person.admin || person.memberships.length > 1;
  const [meeting, setMeeting] = useState<MeetingInfo | null>(null);
  const [bodies, setBodies] = useState<BodyInfo[]>([]);
  const [documents, setDocuments] = useState<DocumentSummary[] | null>(null);
  const [counts, setCounts] = useState<Record<string, Counts>>({});
  const [error, setError] = useState<string | null>(null);
  const [inbox, setInbox] = useState<InboxSummary | null>(null);

  // The member's unread notifications, in all and per document; again when the app bar's inbox changes.
  useEffect(() => {
    if (!member) return;
    let live = true;
    const load = () =>
      api
        .get<InboxSummary>(`/api/meetings/${meetingId}/notifications/unread`)
        .then((s) => live && setInbox(s))
        .catch(() => undefined);
    load();
    window.addEventListener(INBOX_EVENT, load);
    return () => {
      live = false;
      window.removeEventListener(INBOX_EVENT, load);
    };
  }, [api, meetingId, member]);
  const unreadFor = (documentId: string) => inbox?.byDocument.find((d) => d.documentId === documentId)?.unread ?? 0;

  useEffect(() => {
    let live = true;
    document.title = `${t("home.title")} · Accord`;
    (async () => {
      try {
        const [m, b, d] = await Promise.all([
          api.get<MeetingInfo>(`/api/meetings/${meetingId}`),
          api.get<BodyInfo[]>(`/api/meetings/${meetingId}/bodies`),
          api.get<DocumentSummary[]>(`/api/meetings/${meetingId}/documents`),
        ]);
        if (!live) return;
        setMeeting(m);
        setBodies(b);
        setDocuments(d);
        // Someone in no role here (the administrator) may list the documents but not read them.
        if (!member) return;
        for (const doc of d) {
          void countsOf(api, doc.id).then((c) => live && setCounts((all) => ({ ...all, [doc.id]: c })));
        }
      } catch (e) {
        if (live) setError(describeError(e));
      }
    })();
    return () => {
      live = false;
    };
  }, [api, meetingId, member]);

  return (
    <main class="home-page" data-page="home" id="main">
      <header class="meeting-header">
        {meeting ? (
          <>
            <p class="series">{meeting.seriesSymbol}</p>
            <h1>{meeting.title}</h1>
            <p class="muted">{meetingDates(meeting)}</p>
          </>
        ) : (
          <h1>{error ? t("home.notLoaded") : t("home.loading")}</h1>
        )}
        {(setsUp || several) && (
          <nav class="meeting-actions" aria-label={t("home.meeting")}>
            {several && <Link href="/">{t("home.allMeetings")}</Link>}
            {setsUp &&
              (["settings", "members", "bodies", "new-document"] as const).map((section) => (
                <Link key={section} href={meetingPath(meetingId, section)} data-section={section}>
                  {t(SECTION_LINKS[section])}
                </Link>
              ))}
          </nav>
        )}
      </header>
      {error && (
        <p class="form-error" role="alert">
          {error}
        </p>
      )}
      {user?.role === "secretariat" && meetingId === person.meetingId && (
        <p class="home-actions">
          <Link href={IMPORT_PATH} data-action="import">
            {t("home.import")}
          </Link>
        </p>
      )}
      {user && meetingId === person.meetingId && documents && (
        <HomeShortcuts user={user} meetingId={meetingId} documents={documents} />
      )}
      {inbox && (
        <p class="home-inbox" data-inbox-unread={String(inbox.unread)}>
          {inbox.unread === 0 ? t("inbox.homeNone") : t("inbox.homeUnread", { count: inbox.unread })}
          {inbox.unread > 0 && (
            <span class="muted small">
              {" "}
              ({formatList([
                inbox.byKind.amendment_decided && t("inbox.kind.amendmentDecided", { count: inbox.byKind.amendment_decided }),
                inbox.byKind.bracket_resolved && t("inbox.kind.bracketResolved", { count: inbox.byKind.bracket_resolved }),
                inbox.byKind.signature_pending && t("inbox.kind.signaturePending", { count: inbox.byKind.signature_pending }),
                inbox.byKind.source_changed && t("inbox.kind.sourceChanged", { count: inbox.byKind.source_changed }),
                inbox.byKind.change_declined && t("inbox.kind.changeDeclined", { count: inbox.byKind.change_declined }),
                inbox.byKind.mention && t("inbox.kind.mention", { count: inbox.byKind.mention }),
              ].filter((part): part is string => typeof part === "string"))}
              )
            </span>
          )}
        </p>
      )}
      {documents && (
        <table class="documents">
          <caption class="visually-hidden">{t("home.caption")}</caption>
          <thead>
            <tr>
              <th scope="col">{t("home.symbol")}</th>
              <th scope="col">{t("home.document")}</th>
              <th scope="col">{t("home.state")}</th>
              <th scope="col" class="num">{t("home.openBrackets")}</th>
              <th scope="col" class="num">{t("home.tabledAmendments")}</th>
            </tr>
          </thead>
          {bodies
            .filter((body) => documents.some((d) => d.bodyId === body.id))
            .map((body) => (
              <tbody key={body.id}>
                <tr class="body-row">
                  <th scope="rowgroup" colSpan={5}>
                    {body.name}
                    {body.chairs.length > 0 && <span class="chairs">{t("home.chairs", { names: formatList(body.chairs.map((c) => c.displayName)) })}</span>}
                  </th>
                </tr>
                {documents
                  .filter((d) => d.bodyId === body.id)
                  .map((d) => (
                    <tr key={d.id}>
                      <td class="symbol">{d.symbol}</td>
                      <td>
                        {user ? (
                          <Link href={documentPath(d.id)} data-document-id={d.id}>
                            {d.title}
                          </Link>
                        ) : (
                          <span data-listed-document-id={d.id}>{d.title}</span>
                        )}
                        <span class="muted small kind">{KIND_LABELS[d.kind]}</span>
                        {user && <LanguageCounts api={api} documentId={d.id} />}
                        {unreadFor(d.id) > 0 && (
                          <span class="unread-badge" data-unread-for={d.id} title={t("inbox.forDocument", { count: unreadFor(d.id) })}>
                            {unreadFor(d.id)}
                          </span>
                        )}
                      </td>
                      <td>
                        <StateBadge state={d.state} />
                      </td>
                      <td class="num">
                        <Count value={user ? counts[d.id]?.openBrackets : null} />
                      </td>
                      <td class="num">
                        <Count value={user ? counts[d.id]?.tabledAmendments : null} />
                      </td>
                    </tr>
                  ))}
              </tbody>
            ))}
        </table>
      )}
    </main>
  );
}

/**
 * The meeting home's ways into work that spans documents: a delegation's own amendments
 * and brackets across the meeting, and, for the rapporteur and the secretariat,
 * consolidation with the working groups' reports already chosen as sources.
 */
function HomeShortcuts(props: { user: SessionUser; meetingId: string; documents: readonly DocumentSummary[] }) {
  const { user, meetingId, documents } = props;
  const consolidates = user.role === "rapporteur" || user.role === "secretariat";
  // Consolidation opens in a document's panel: the work programme's if there is one, else a group report's.
  const host = documents.find((d) => d.kind === "work_programme") ?? documents.find((d) => d.kind === "group_report");
  if (!user.delegation && !(consolidates && host)) return null;
  return (
    <p class="home-actions">
      {user.delegation && (
        <Link href={minePath(meetingId)} data-action="mine">
          {t("mine.link", { delegation: user.delegation })}
        </Link>
      )}
      {consolidates && host && (
        <Link href={documentPlacePath(host.id, { panel: "consolidation", item: CONSOLIDATE_GROUP_REPORTS })} data-action="consolidate">
          {t("home.consolidate")}
        </Link>
      )}
    </p>
  );
}
