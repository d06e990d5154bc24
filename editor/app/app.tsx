import { useEffect, useMemo, useState } from "preact/hooks";
import type { SessionUser } from "../panels/context.js";
import { HttpApiClient } from "../api/client.js";
import { SIGNED_IN_COOKIE, type SessionAnswer } from "../../schema/api/session.js";
import { ApiError } from "../panels/context.js";
import { navigate, useRoute, type Route } from "./router.js";
import { LoginPage } from "./login.js";
import { HomePage } from "./home.js";
import { DocumentPage } from "./document-page.js";
import { SideBySidePage } from "./side-by-side-page.js";
import { ImportPage } from "./import-page.js";
import { Link } from "./link.js";
import { ROLE_LABELS, describeUser } from "./words.js";
import { memberView, runsMeeting, type SessionPerson } from "./session.js";
import { SetupPage } from "./setup-page.js";
import { settleLanguage, t } from "../i18n/index.js";
import { LanguagePicker } from "../i18n/picker.js";
import { MeetingsPage } from "./meetings-page.js";
import { MeetingSetupPage, NewMeetingPage } from "./meeting-setup.js";
import { InboxButton } from "./inbox.js";
import type { DocumentInfo } from "../../schema/api/documents.js";
import { MinePage } from "./mine-page.js";

/** Where the session stands: being looked up, absent, or a signed-in person. */
type SessionState = { kind: "checking" } | { kind: "signed-out" } | { kind: "signed-in"; user: SessionPerson };

/** The address of the current page, to come back to after signing in. */
function here(): string {
  return location.pathname + location.search;
}

/** Whether this browser signed in (the readable cookie set beside the session's); the session itself may have ended since. */
function signedInHere(): boolean {
  return document.cookie.split("; ").some((c) => c.startsWith(`${SIGNED_IN_COOKIE}=`));
}

/**
 * The application: finds out who is signed in, then shows the page the address asks for.
 * Signed-out visitors see the login page and return where they were going.
 */
export function App() {
  const api = useMemo(() => new HttpApiClient(), []);
  const route = useRoute();
  const [session, setSession] = useState<SessionState>({ kind: "checking" });

  useEffect(() => {
    api.onUnauthorized = () => {
      setSession({ kind: "signed-out" });
      if (location.pathname !== "/login") navigate(`/login?next=${encodeURIComponent(here())}`, { replace: true });
    };
    // A setup link is for someone who cannot sign in yet: it needs no session.
    if (location.pathname.startsWith("/setup/")) {
      setSession({ kind: "signed-out" });
      return;
    }
    // Signed out, this browser holds no sign-in cookie: there is no session to ask for.
    if (!signedInHere()) {
      setSession({ kind: "signed-out" });
      if (location.pathname !== "/login") navigate(`/login?next=${encodeURIComponent(here())}`, { replace: true });
      return;
    }
    api
      .get<SessionAnswer>("/api/session")
      .then((answer) => {
        api.csrfToken = answer.csrfToken;
        if (followLanguage(answer) === "reloading") return;
        setSession({ kind: "signed-in", user: answer.user });
        if (location.pathname === "/login") navigate("/", { replace: true });
      })
      .catch((error) => {
        setSession({ kind: "signed-out" });
        // The session ended (expired, ended elsewhere): the next visit need not ask again.
        if (error instanceof ApiError && error.status === 401) document.cookie = `${SIGNED_IN_COOKIE}=; Max-Age=0; Path=/; SameSite=Lax`;
        else console.warn(error);
        if (location.pathname !== "/login") navigate(`/login?next=${encodeURIComponent(here())}`, { replace: true });
      });
  }, [api]);

  /**
   * The person's language as the server remembers it, from any browser: the page reloads in
   * it if it is not this one's; with none remembered, this browser's choice is kept there.
   */
  const followLanguage = (answer: SessionAnswer) => {
    const settled = settleLanguage(answer.user.language);
    if (settled !== "reloading" && settled.keep !== null) void api.put("/api/me/preferences", { language: settled.keep }).catch(() => undefined);
    return settled;
  };

  const signedIn = (answer: SessionAnswer) => {
    api.csrfToken = answer.csrfToken;
    navigate(route.page === "login" && route.next ? route.next : "/", { replace: true });
    if (followLanguage(answer) === "reloading") return;
    setSession({ kind: "signed-in", user: answer.user });
  };

  const signOut = async () => {
    try {
      await api.delete("/api/session");
    } finally {
      api.csrfToken = null;
      setSession({ kind: "signed-out" });
      navigate("/login", { replace: true });
    }
  };

  if (route.page === "setup") return <SetupPage api={api} token={route.token} onSignedIn={signedIn} />;
  if (session.kind === "checking") return <p class="muted boot">{t("app.loading")}</p>;
  if (session.kind === "signed-out" || route.page === "login") {
    return <LoginPage api={api} onSignedIn={signedIn} />;
  }
  return (
    <>
      <a class="skip-link" href="#main">
        {t("app.skipToContent")}
      </a>
      <AppBar api={api} user={session.user} meetingId={route.page === "meeting" || route.page === "meeting-setup" || route.page === "mine" ? route.meetingId : session.user.meetingId} onSignOut={signOut} />
      <Page route={route} api={api} user={session.user} />
    </>
  );
}

function Page(props: { route: Route; api: HttpApiClient; user: SessionPerson }) {
  const { route, api, user } = props;
  if (route.page === "document") return <DocumentRoute key={route.documentId} api={api} person={user} documentId={route.documentId} />;
  if (route.page === "side-by-side") return <DocumentRoute key={`${route.documentId}:side`} api={api} person={user} documentId={route.documentId} sideBySide />;
  if (route.page === "home") {
    // One meeting and no administration: its home, as before; otherwise the list to choose from.
    const only = !user.admin && user.memberships.length <= 1 && user.meetingId ? memberView(user, user.meetingId) : null;
    return only ? <HomePage api={api} user={only} person={user} /> : <MeetingsPage api={api} person={user} />;
  }
  if (route.page === "meeting") {
    const member = memberView(user, route.meetingId);
    return <HomePage key={route.meetingId} api={api} user={member} person={user} meetingId={route.meetingId} />;
  }
  if (route.page === "mine") {
    const member = memberView(user, route.meetingId);
    if (member) return <MinePage key={route.meetingId} api={api} user={member} meetingId={route.meetingId} />;
  }
  if (route.page === "meeting-setup" && runsMeeting(user, route.meetingId))
    return <MeetingSetupPage api={api} meetingId={route.meetingId} section={route.section} />;
  if (route.page === "new-meeting" && user.admin) return <NewMeetingPage api={api} />;
  if (route.page === "import") {
    // Import from Word works in the current meeting.
    const member = user.meetingId ? memberView(user, user.meetingId) : null;
    if (member) return <ImportPage api={api} user={member} />;
  }
  return (
    <main class="home-page" data-page="not-found" id="main">
      <h1>{t("app.pageNotFound")}</h1>
      <Link href="/">{t("app.backToDocuments")}</Link>
    </main>
  );
}

/**
 * A document opened by a person of several meetings acts as their member of the
 * document's meeting (role, delegation, chairs there); one lookup finds which meeting.
 */
function DocumentRoute(props: { api: HttpApiClient; person: SessionPerson; documentId: string; sideBySide?: boolean }) {
  const { api, person, documentId } = props;
  const single = person.memberships.length <= 1 && person.meetingId ? memberView(person, person.meetingId) : null;
  const [member, setMember] = useState<SessionUser | null>(single);
  const [missing, setMissing] = useState(false);
  useEffect(() => {
    if (single) return;
    api
      .get<DocumentInfo>(`/api/documents/${documentId}`)
      .then((doc) => {
        const view = memberView(person, doc.meetingId);
        if (view) setMember(view);
        else setMissing(true);
      })
      .catch(() => setMissing(true));
  }, [api, person, documentId]);
  if (member && props.sideBySide) return <SideBySidePage api={api} user={member} documentId={documentId} />;
  if (member) return <DocumentPage api={api} user={member} documentId={documentId} />;
  if (missing)
    return (
      <main class="home-page" data-page="not-found" id="main">
        <h1>{t("app.documentNotFound")}</h1>
        <Link href="/">{t("app.backToMeetings")}</Link>
      </main>
    );
  return <p class="muted boot">{t("app.loading")}</p>;
}

/** The quiet bar at the top: the product, who is signed in and in what capacity, sign out. */
function AppBar(props: { api: HttpApiClient; user: SessionPerson; meetingId: string | null; onSignOut: () => void }) {
  const { user, meetingId } = props;
  // The inbox is the member's in one meeting: the one shown, else their current one.
  const member = meetingId !== null && user.memberships.some((m) => m.meetingId === meetingId);
  return (
    <header class="app-bar">
      <Link href="/" class="brand">
        Accord
      </Link>
      <div class="who">
        <span class="who-name">{describeUser(user)}</span>
        <span class="who-role">{user.role === "admin" ? t("role.admin") : ROLE_LABELS[user.role]}</span>
        {member && <InboxButton key={meetingId} api={props.api} meetingId={meetingId} />}
        <LanguagePicker keep={(language) => props.api.put("/api/me/preferences", { language })} />
        <button type="button" class="link-button" onClick={props.onSignOut}>
          {t("app.signOut")}
        </button>
      </div>
    </header>
  );
}
