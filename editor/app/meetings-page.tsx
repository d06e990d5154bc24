import { useEffect, useState } from "preact/hooks";
import type { ApiClient } from "../panels/context.js";
import type { Meeting } from "../api/types.js";
import { describeError } from "../api/client.js";
import { Link } from "./link.js";
import { meetingPath } from "./router.js";
import type { SessionPerson } from "./session.js";
import { ROLE_LABELS } from "./words.js";

/** A meeting on the home page, with the person's role there. */
interface MeetingOfPerson extends Meeting {
  role: keyof typeof ROLE_LABELS | null;
  delegation: string | null;
  documents: number;
}

/** "Lima, 10 to 12 May 2027" style line under a meeting's title. */
export function meetingDates(meeting: Pick<Meeting, "venue" | "startsOn" | "endsOn">): string {
  const dates = meeting.startsOn
    ? `${meeting.startsOn}${meeting.endsOn && meeting.endsOn !== meeting.startsOn ? ` to ${meeting.endsOn}` : ""}`
    : "";
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
    document.title = "Meetings · Accord";
    api
      .get<MeetingOfPerson[]>("/api/meetings")
      .then(setMeetings)
      .catch((e) => setError(describeError(e)));
  }, [api]);

  return (
    <main class="home-page" data-page="meetings" id="main">
      <header class="meeting-header page-actions">
        <h1>Meetings</h1>
        {person.admin && (
          <Link href="/meetings/new" class="button primary">
            New meeting
          </Link>
        )}
      </header>
      {error && (
        <p class="form-error" role="alert">
          {error}
        </p>
      )}
      {meetings && meetings.length === 0 && (
        <p class="muted">{person.admin ? "No meeting yet. Create the first one." : "You are not a member of any meeting."}</p>
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
                {m.role ? `${ROLE_LABELS[m.role]}${m.delegation ? ` · ${m.delegation}` : ""}` : "Administrator"} · {m.documents} document
                {m.documents === 1 ? "" : "s"}
              </span>
            </li>
          ))}
        </ul>
      )}
    </main>
  );
}
