import { useEffect } from "preact/hooks";
import type { ApiClient } from "../panels/context.js";
import { Link } from "./link.js";
import { meetingPath, type MeetingSection } from "./router.js";
import { MeetingSettings } from "./meeting-settings.js";
import { MeetingMembers } from "./meeting-members.js";
import { MeetingBodies, NewDocument } from "./meeting-bodies.js";
import { t } from "../i18n/index.js";

const SECTION_TITLES: Record<MeetingSection, string> = {
  settings: t("home.settings"),
  members: t("home.members"),
  bodies: t("home.bodies"),
  "new-document": t("home.newDocument"),
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
        <Link href={meetingPath(meetingId)}>{t("setup.backToMeeting")}</Link>
      </nav>
      <nav class="setup-tabs" aria-label={t("setup.meetingSetup")}>
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
    document.title = `${t("meetings.new")} · Accord`;
  }, []);
  return (
    <main class="home-page setup-page" data-page="new-meeting" id="main">
      <nav class="breadcrumbs">
        <Link href="/">{t("app.backToMeetings")}</Link>
      </nav>
      <h1>{t("meetings.new")}</h1>
      <MeetingSettings api={props.api} meetingId={null} />
    </main>
  );
}
