import { useEffect, useState } from "preact/hooks";
import type { ApiClient } from "../panels/context.js";
import type { MeetingInfo, MeetingOfPerson } from "../../schema/api/meetings.js";
import { describeError } from "../api/client.js";
import { Link } from "./link.js";
import { meetingPath } from "./router.js";
import type { SessionPerson } from "./session.js";
import { ROLE_LABELS } from "./words.js";
import { t, formatDateRange, formatNumber } from "../i18n/index.js";

/** "Lima · 10–12 May 2027" style line under a meeting's title, dates in the interface language. */
export function meetingDates(meeting: Pick<MeetingInfo, "venue" | "startsOn" | "endsOn">): string {
  const dates = meeting.startsOn ? formatDateRange(meeting.startsOn, meeting.endsOn) : "";
  return [meeting.venue, dates].filter(Boolean).join(" · ");
}

/**
 * The home page of a person with several meetings, or of an administrator: every meeting
 * they may open, latest first, with their role in each; the administrator also creates one.
 */
export function MeetingsPage(props: { api: ApiClient; person: SessionPerson }) {
  const { api, person } = props;
  const [meetings, setMeetings] = useState<MeetingOfPerson[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    document.title = `${t("meetings.title")} · Accord`;
    api
      .get<MeetingOfPerson[]>("/api/meetings")
      .then(setMeetings)
      .catch((e) => setError(describeError(e)));
  }, [api]);

  return (
    <main class="home-page" data-page="meetings" id="main">
      <header class="meeting-header page-actions">
        <h1>{t("meetings.title")}</h1>
        {person.admin && (
          <Link href="/meetings/new" class="button primary">
            {t("meetings.new")}
          </Link>
        )}
      </header>
      {error && (
        <p class="form-error" role="alert">
          {error}
        </p>
      )}
      {meetings && meetings.length === 0 && (
        <p class="muted">{person.admin ? t("meetings.noneYet") : t("meetings.notMember")}</p>
      )}
      {meetings && meetings.length > 0 && (
        <ul class="meeting-list">
          {meetings.map((m) => (
            <li key={m.id}>
              <Link href={meetingPath(m.id)} data-meeting-id={m.id}>
                {m.title}
              </Link>
              <span class="series">{m.seriesSymbol}</span>
              <span class="muted small">{meetingDates(m)}</span>
              <span class="muted small">
                {m.role ? `${ROLE_LABELS[m.role]}${m.delegation ? ` · ${m.delegation}` : ""}` : t("role.admin")} ·{" "}
                {t("meetings.documents", { count: m.documents, n: formatNumber(m.documents) })}
              </span>
            </li>
          ))}
        </ul>
      )}
    </main>
  );
}
