import { useEffect, useMemo, useState } from "preact/hooks";
import type { SessionUser } from "../panels/context.js";
import { HttpApiClient, type SessionAnswer } from "../api/client.js";
import { ApiError } from "../panels/context.js";
import { navigate, useRoute, type Route } from "./router.js";
import { LoginPage } from "./login.js";
import { HomePage } from "./home.js";
import { DocumentPage } from "./document-page.js";
import { ImportPage } from "./import-page.js";
import { Link } from "./link.js";
import { ROLE_LABELS, describeUser } from "./words.js";

/** Where the session stands: being looked up, absent, or a signed-in user. */
type SessionState = { kind: "checking" } | { kind: "signed-out" } | { kind: "signed-in"; user: SessionUser };

/** The address of the current page, to come back to after signing in. */
function here(): string {
  return location.pathname + location.search;
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
    api
      .get<SessionAnswer<SessionUser>>("/api/session")
      .then((answer) => {
        api.csrfToken = answer.csrfToken;
        setSession({ kind: "signed-in", user: answer.user });
        if (location.pathname === "/login") navigate("/", { replace: true });
      })
      .catch((error) => {
        setSession({ kind: "signed-out" });
        if (!(error instanceof ApiError) || error.status !== 401) console.warn(error);
        if (location.pathname !== "/login") navigate(`/login?next=${encodeURIComponent(here())}`, { replace: true });
      });
  }, [api]);

  const signedIn = (answer: SessionAnswer<SessionUser>) => {
    api.csrfToken = answer.csrfToken;
    setSession({ kind: "signed-in", user: answer.user });
    navigate(route.page === "login" && route.next ? route.next : "/", { replace: true });
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

  if (session.kind === "checking") return <p class="muted boot">Loading…</p>;
  if (session.kind === "signed-out" || route.page === "login") {
    return <LoginPage api={api} onSignedIn={signedIn} />;
  }
  return (
    <>
      <a class="skip-link" href="#main">
        Skip to content
      </a>
      <AppBar user={session.user} onSignOut={signOut} />
      <Page route={route} api={api} user={session.user} />
    </>
  );
}

function Page(props: { route: Route; api: HttpApiClient; user: SessionUser }) {
  const { route, api, user } = props;
  if (route.page === "document") return <DocumentPage key={route.documentId} api={api} user={user} documentId={route.documentId} />;
  if (route.page === "home") return <HomePage api={api} user={user} />;
  if (route.page === "import") return <ImportPage api={api} user={user} />;
  return (
    <main class="home-page" data-page="not-found" id="main">
      <h1>Page not found</h1>
      <Link href="/">Back to the meeting's documents</Link>
    </main>
  );
}

/** The quiet bar at the top: the product, who is signed in and in what capacity, sign out. */
function AppBar(props: { user: SessionUser; onSignOut: () => void }) {
  const { user } = props;
  return (
    <header class="app-bar">
      <Link href="/" class="brand">
        Accord
      </Link>
      <div class="who">
        <span class="who-name">{describeUser(user)}</span>
        <span class="who-role">{ROLE_LABELS[user.role]}</span>
        <button type="button" class="link-button" onClick={props.onSignOut}>
          Sign out
        </button>
      </div>
    </header>
  );
}
