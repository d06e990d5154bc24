import { useEffect, useState } from "preact/hooks";

/** The pages of the editor, by address. */
export type Route =
  | { page: "login"; next: string | null }
  | { page: "home" }
  | { page: "import" }
  | { page: "document"; documentId: string }
  | { page: "side-by-side"; documentId: string }
  | { page: "meeting"; meetingId: string }
  | { page: "mine"; meetingId: string }
  | { page: "meeting-setup"; meetingId: string; section: MeetingSection }
  | { page: "new-meeting" }
  | { page: "setup"; token: string }
  | { page: "not-found" };

/** The parts of a meeting's setup, each its own address. */
const MEETING_SECTIONS = ["settings", "members", "bodies", "new-document"] as const;
/** One part of a meeting's setup. */
export type MeetingSection = (typeof MEETING_SECTIONS)[number];

const DOCUMENT_PATH = /^\/documents\/([A-Za-z0-9_-]{1,64})\/?$/;
const SIDE_BY_SIDE_PATH = /^\/documents\/([A-Za-z0-9_-]{1,64})\/side-by-side\/?$/;
const MEETING_PATH = /^\/meetings\/([A-Za-z0-9_-]{1,64})(?:\/(settings|members|bodies|new-document))?\/?$/;
const MINE_PATH = /^\/meetings\/([A-Za-z0-9_-]{1,64})\/mine\/?$/;
const SETUP_PATH = /^\/setup\/([A-Za-z0-9_-]{10,100})\/?$/;
/** The window event `navigate` sends after changing the address (pages listen to follow in-page links). */
export const NAVIGATED = "accord:navigated";
/** The address of the secretariat's "Import from Word" page. */
export const IMPORT_PATH = "/import";

/** The page an address shows. */
function parseRoute(pathname: string, search = ""): Route {
  if (pathname === "/login") {
    const next = new URLSearchParams(search).get("next");
    // Only a path of this site, never another origin, as the place to return to.
    return { page: "login", next: next && next.startsWith("/") && !next.startsWith("//") ? next : null };
  }
  if (pathname === "/" || pathname === "") return { page: "home" };
  if (pathname === IMPORT_PATH) return { page: "import" };
  const match = DOCUMENT_PATH.exec(pathname);
  if (match) return { page: "document", documentId: match[1]! };
  const sideBySide = SIDE_BY_SIDE_PATH.exec(pathname);
  if (sideBySide) return { page: "side-by-side", documentId: sideBySide[1]! };
  if (pathname === "/meetings/new") return { page: "new-meeting" };
  const mine = MINE_PATH.exec(pathname);
  if (mine) return { page: "mine", meetingId: mine[1]! };
  const meeting = MEETING_PATH.exec(pathname);
  if (meeting) return meeting[2] ? { page: "meeting-setup", meetingId: meeting[1]!, section: meeting[2] as MeetingSection } : { page: "meeting", meetingId: meeting[1]! };
  const setup = SETUP_PATH.exec(pathname);
  if (setup) return { page: "setup", token: setup[1]! };
  return { page: "not-found" };
}

/** The address of a meeting's home, or of one part of its setup. */
export function meetingPath(meetingId: string, section?: MeetingSection): string {
  return `/meetings/${encodeURIComponent(meetingId)}${section ? `/${section}` : ""}`;
}

/** The address of a delegation's own amendments and brackets across a meeting. */
export function minePath(meetingId: string): string {
  return `/meetings/${encodeURIComponent(meetingId)}/mine`;
}

/** The address of a document's page. */
export function documentPath(documentId: string): string {
  return `/documents/${encodeURIComponent(documentId)}`;
}

/** The address of a language version side by side with its original. */
export function sideBySidePath(documentId: string): string {
  return `${documentPath(documentId)}/side-by-side`;
}

/**
 * The address of a place in a document: its page with a panel open on one thing
 * (`?panel=comments&item=<thread id>`) and the text at a paragraph (`#<paragraph id>`).
 */
export function documentPlacePath(documentId: string, place: { paragraphId?: string | null; panel?: string | null; item?: string | null }): string {
  const query = new URLSearchParams();
  if (place.panel) query.set("panel", place.panel);
  if (place.item) query.set("item", place.item);
  const search = query.toString();
  return `${documentPath(documentId)}${search ? `?${search}` : ""}${place.paragraphId ? `#${encodeURIComponent(place.paragraphId)}` : ""}`;
}

/** Goes to `path` inside the application, without reloading the page. */
export function navigate(path: string, options: { replace?: boolean } = {}): void {
  if (options.replace) history.replaceState(null, "", path);
  else history.pushState(null, "", path);
  window.dispatchEvent(new Event(NAVIGATED));
}

/** The current route, following links, the back button and `navigate`. */
export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(location.pathname, location.search));
  useEffect(() => {
    const update = () => setRoute(parseRoute(location.pathname, location.search));
    window.addEventListener("popstate", update);
    window.addEventListener(NAVIGATED, update);
    return () => {
      window.removeEventListener("popstate", update);
      window.removeEventListener(NAVIGATED, update);
    };
  }, []);
  return route;
}

/**
 * Handles a click on an in-app link as navigation, leaving modified clicks (new tab,
 * download) to the browser.
 */
export function followLink(event: MouseEvent, path: string): void {
  if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
  event.preventDefault();
  navigate(path);
}
