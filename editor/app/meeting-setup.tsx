import { useEffect } from "preact/hooks";
import type { ApiClient } from "../panels/context.js";
import { Link } from "./link.js";
import { meetingPath, type MeetingSection } from "./router.js";
import { MeetingSettings } from "./meeting-settings.js";
import { MeetingMembers } from "./meeting-members.js";
import { MeetingBodies, NewDocument } from "./meeting-bodies.js";

const SECTION_TITLES: Record<MeetingSection, string> = {
  settings: "Settings",
  members: "Members",
  bodies: "Bodies",
  "new-document": "New document",
};

/** A meeting's setup for its secretariat and the administrator: settings, members, bodies, a new document; one address each. */
export function MeetingSetupPage(props: { api: ApiClient; meetingId: string; section: MeetingSection }) {
  const { api, meetingId, section } = props;
  useEffect(() => {
    document.title = `${SECTION_TITLES[section]} · Accord`;
  }, [section]);
  return (
    <main class="home-page setup-page" data-page={`meeting-${section}`} id="main">
      <nav class="breadcrumbs">
        <Link href={meetingPath(meetingId)}>Back to the meeting</Link>
      </nav>
      <nav class="setup-tabs" aria-label="Meeting setup">
        {(Object.keys(SECTION_TITLES) as MeetingSection[]).map((s) => (
          <Link key={s} href={meetingPath(meetingId, s)} class={s === section ? "current" : undefined} data-section={s}>
            {SECTION_TITLES[s]}
          </Link>
        ))}
      </nav>
      <h1>{SECTION_TITLES[section]}</h1>
      {section === "settings" && <MeetingSettings api={api} meetingId={meetingId} />}
      {section === "members" && <MeetingMembers api={api} meetingId={meetingId} />}
      {section === "bodies" && <MeetingBodies api={api} meetingId={meetingId} />}
      {section === "new-document" && <NewDocument api={api} meetingId={meetingId} />}
    </main>
  );
}

/** The administrator's "New meeting" page. */
export function NewMeetingPage(props: { api: ApiClient }) {
  useEffect(() => {
    document.title = "New meeting · Accord";
  }, []);
  return (
    <main class="home-page setup-page" data-page="new-meeting" id="main">
      <nav class="breadcrumbs">
        <Link href="/">Back to the meetings</Link>
      </nav>
      <h1>New meeting</h1>
      <MeetingSettings api={props.api} meetingId={null} />
    </main>
  );
}
