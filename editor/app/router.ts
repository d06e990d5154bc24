import { useEffect, useState } from "preact/hooks";

/** The pages of the editor, by address. */
export type Route =
  | { page: "login"; next: string | null }
  | { page: "home" }
  | { page: "import" }
  | { page: "document"; documentId: string }
  | { page: "not-found" };

const DOCUMENT_PATH = /^\/documents\/([A-Za-z0-9_-]{1,64})\/?$/;
const NAVIGATED = "accord:navigated";
/** The address of the secretariat's "Import from Word" page. */
export const IMPORT_PATH = "/import";

/** The page an address shows. */
export function parseRoute(pathname: string, search = ""): Route {
  if (pathname === "/login") {
    const next = new URLSearchParams(search).get("next");
    // Only a path of this site, never another origin, as the place to return to.
    return { page: "login", next: next && next.startsWith("/") && !next.startsWith("//") ? next : null };
  }
  if (pathname === "/" || pathname === "") return { page: "home" };
  if (pathname === IMPORT_PATH) return { page: "import" };
  const match = DOCUMENT_PATH.exec(pathname);
  if (match) return { page: "document", documentId: match[1]! };
  return { page: "not-found" };
}

/** The address of a document's page. */
export function documentPath(documentId: string): string {
  return `/documents/${encodeURIComponent(documentId)}`;
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
