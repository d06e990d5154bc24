/**
 * The end-to-end harness: a real Chromium (playwright-core driving `/usr/bin/chromium`)
 * against a real Accord server. One browser per test file; one fresh context (its own
 * cookies and storage, like a separate person's laptop) per signed-in user.
 *
 * The page contract these helpers rely on (kept stable for the panels' own tests):
 * - login page: `form[name="login"]` with `#username`, `#password` and a submit button;
 * - meeting home: `main[data-page="home"]`, one `a[data-document-id]` per document;
 * - document page: `main[data-page="document"]` with `data-editor="ready"` once the text
 *   view is mounted, `data-connection="online" | "offline"`, `data-can-write="true" | "false"`;
 *   the text is the `.ProseMirror` element, each block carries `data-id` (its paragraph id);
 *   panels mount in `aside [data-panel="<panel id>"]`.
 */
import { chromium, type Browser, type BrowserContext, type Page } from "playwright-core";
import { existsSync, mkdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll } from "vitest";
import { startTestServer, type TestServer } from "../helpers/server.js";
import { BUILD_FAILURE } from "./global-setup.js";

/** Where screenshots go (ignored by git), for a person to look at. */
const ARTIFACTS = join(dirname(fileURLToPath(import.meta.url)), "..", "artifacts");

/** The Chromium installed by the system (CI: `.ci/run`; locally: `apt-get install chromium`). */
const CHROMIUM = process.env.ACCORD_CHROMIUM ?? "/usr/bin/chromium";

/** Flags that keep a headless Chromium quiet, offline from Google and cheap on two cores. */
const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
  "--disable-quic",
];

/** The window size the editor is designed for (a laptop, or a projector at 1280×800). */
const VIEWPORT = { width: 1280, height: 800 };

/** Launches the shared browser of a test file (after checking the editor bundle built). */
export async function launchBrowser(): Promise<Browser> {
  if (existsSync(BUILD_FAILURE)) throw new Error(`the editor bundle did not build:\n${readFileSync(BUILD_FAILURE, "utf8")}`);
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
}

/** A signed-in person: their own browser context and one page. */
export interface BrowserSession {
  context: BrowserContext;
  page: Page;
  username: string;
  /** Closes the context (cookies, sockets and all). */
  close(): Promise<void>;
}

/**
 * A fresh context with one page, not signed in; page errors are echoed to the test log.
 * The browser speaks `locale` (default en-US, so that the interface is in English whatever
 * the machine's own language).
 */
export async function newPage(browser: Browser, options: { locale?: string } = {}): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ viewport: VIEWPORT, locale: options.locale ?? "en-US" });
  const page = await context.newPage();
  page.on("pageerror", (error) => console.error(`[browser] ${error.message}`));
  return { context, page };
}

/**
 * Signs in through the real login page and waits for the meeting home. A context whose
 * sign-in failed is closed, so that a caller trying again leaves nothing open.
 */
export async function signIn(browser: Browser, baseUrl: string, username: string, password = "accord-demo"): Promise<BrowserSession> {
  const { context, page } = await newPage(browser);
  try {
    await page.goto(`${baseUrl}/login`);
    await page.fill("#username", username);
    await page.fill("#password", password);
    await page.click('form[name="login"] button[type="submit"]');
    await page.waitForSelector('main[data-page="home"]');
  } catch (error) {
    await context.close().catch(() => undefined);
    throw error;
  }
  return { context, page, username, close: () => context.close() };
}

/** What a browser suite needs of its server: where it listens and how to stop it. */
export interface SuiteServer {
  url: string;
  stop(): Promise<void>;
}

/** The server and browser of one test file, with sign-ins that are closed when the file ends. */
export interface BrowserSuite<S extends SuiteServer> {
  /** The file's server (available from the first test and in later `beforeAll` hooks). */
  readonly server: S;
  /** The file's Chromium. */
  readonly browser: Browser;
  /**
   * Signs `username` in through the login page, trying once more if the first attempt
   * fails (two cores are shared by every suite: a first navigation can time out under
   * load). The session is closed when the file ends, if the test has not closed it.
   */
  signIn(username: string, password?: string): Promise<BrowserSession>;
  /** Signs `username` in and opens a document; returns the page. */
  open(username: string, documentId: string): Promise<Page>;
}

/**
 * Starts a server (the demo meeting unless `start` says otherwise) and a Chromium before
 * the file's tests, and closes every session, the browser and the server after them.
 * Call it once at the top level of a test file.
 */
export function browserSuite(): BrowserSuite<TestServer>;
export function browserSuite<S extends SuiteServer>(start: () => Promise<S>): BrowserSuite<S>;
export function browserSuite(start: () => Promise<SuiteServer> = startTestServer): BrowserSuite<SuiteServer> {
  let server: SuiteServer | undefined;
  let browser: Browser | undefined;
  const sessions: BrowserSession[] = [];
  beforeAll(async () => {
    [server, browser] = await Promise.all([start(), launchBrowser()]);
  });
  afterAll(async () => {
    for (const session of sessions) await session.close().catch(() => undefined);
    await browser?.close();
    await server?.stop();
  });
  const suite: BrowserSuite<SuiteServer> = {
    get server() {
      if (!server) throw new Error("the suite's server is not started yet (use it inside a test or a later beforeAll)");
      return server;
    },
    get browser() {
      if (!browser) throw new Error("the suite's browser is not launched yet (use it inside a test or a later beforeAll)");
      return browser;
    },
    async signIn(username, password) {
      const session = await signIn(suite.browser, suite.server.url, username, password).catch(() => signIn(suite.browser, suite.server.url, username, password));
      sessions.push(session);
      return session;
    },
    async open(username, documentId) {
      const session = await suite.signIn(username);
      await openDocument(session.page, suite.server.url, documentId);
      return session.page;
    },
  };
  return suite;
}

/** Runs `fn`, then closes the sessions it used, whether it passed or failed. */
export async function withSessions<T>(sessions: BrowserSession[], fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } finally {
    await Promise.all(sessions.map((s) => s.close()));
  }
}

/** Opens a document page and waits until its text is editable (or read-only) on screen. */
export async function openDocument(page: Page, baseUrl: string, documentId: string): Promise<void> {
  await page.goto(`${baseUrl}/documents/${documentId}`);
  await waitForEditor(page);
}

/** Waits until the document page has mounted its text view. */
export async function waitForEditor(page: Page): Promise<void> {
  await page.waitForSelector('main[data-page="document"][data-editor="ready"] .ProseMirror');
}

/** The selector of a block of the text by its paragraph id. */
export function paragraphSelector(paragraphId: string): string {
  return `.ProseMirror [data-id="${paragraphId}"]`;
}

/** Puts the caret at the end (or start) of a paragraph, then types `text` like a person. */
export async function typeInParagraph(page: Page, paragraphId: string, text: string, where: "end" | "start" = "end"): Promise<void> {
  await placeCaret(page, paragraphId, where);
  await page.keyboard.type(text);
}

/**
 * Puts the caret at the end (or start) of a paragraph the way a person does: by clicking
 * just after its last character (or on its first one). Decorations (numbers, bracket
 * glyphs, other people's carets) are skipped.
 */
export async function placeCaret(page: Page, paragraphId: string, where: "end" | "start" = "end"): Promise<void> {
  // A layout shift between measuring and clicking (a panel re-rendering, a busy machine)
  // can land the click elsewhere: check where the caret is, and click again if needed.
  for (let attempt = 1; ; attempt++) {
    await clickAtEdge(page, paragraphId, where);
    const caret = await caretIn(page, paragraphId);
    if (caret && caret.offset === (where === "start" ? 0 : caret.length)) return settle(page);
    if (attempt === 3) throw new Error(`could not put the caret at the ${where} of ${paragraphId}: ${JSON.stringify(caret)}`);
    await page.waitForTimeout(100);
  }
}

/**
 * Lets the page catch up with the selection the browser moved: ProseMirror reads it on
 * the asynchronous \`selectionchange\` event, so a command key (Enter, Tab) sent within the
 * same millisecond would act on the old one. A person never types that fast; a driver does.
 */
export async function settle(page: Page): Promise<void> {
  await page.evaluate("new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)))");
}

/** The caret's offset in a paragraph's text (decorations excluded) and the text's length; null when elsewhere. */
export async function caretIn(page: Page, paragraphId: string): Promise<{ offset: number; length: number } | null> {
  // Polls briefly: ProseMirror and the browser settle the selection after the click.
  for (let i = 0; i < 10; i++) {
    const caret = await page.evaluate((id) => {
      const el = document.querySelector(`.ProseMirror [data-id="${id}"]`);
      const selection = window.getSelection();
      if (!el || !selection || selection.rangeCount === 0 || !selection.isCollapsed) return null;
      const range = selection.getRangeAt(0);
      if (!el.contains(range.startContainer)) return null;
      const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
      let offset = -1;
      let length = 0;
      for (let n = walker.nextNode(); n; n = walker.nextNode()) {
        if (n.parentElement?.closest("[data-decoration]")) continue;
        if (n === range.startContainer) offset = length + range.startOffset;
        length += (n.textContent ?? "").length;
      }
      // A caret between nodes (after a widget, at a block edge) resolves by comparing positions.
      if (offset < 0) {
        const probe = document.createRange();
        probe.selectNodeContents(el);
        probe.setEnd(range.startContainer, range.startOffset);
        const before = probe.cloneContents();
        for (const d of before.querySelectorAll("[data-decoration]")) d.remove();
        offset = (before.textContent ?? "").length;
      }
      return { offset, length };
    }, paragraphId);
    if (caret) return caret;
    await page.waitForTimeout(30);
  }
  return null;
}

/** Clicks just after the last character (or on the first) of a paragraph. */
async function clickAtEdge(page: Page, paragraphId: string, where: "end" | "start"): Promise<void> {
  const block = page.locator(paragraphSelector(paragraphId));
  await block.scrollIntoViewIfNeeded();
  const point = await page.evaluate(
    ({ id, where }) => {
      const el = document.querySelector(`.ProseMirror [data-id="${id}"]`);
      if (!el) return null;
      // No callbacks inside: tsx's keepNames would wrap them in a helper the page lacks.
      const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
      const texts: Text[] = [];
      for (let n = walker.nextNode(); n; n = walker.nextNode()) {
        if (n.parentElement?.closest("[data-decoration]")) continue;
        if ((n.textContent ?? "").replace(/\u2060/g, "").length === 0) continue;
        texts.push(n as Text);
      }
      if (texts.length === 0) {
        const r = el.getBoundingClientRect();
        return { x: r.right - 4, y: r.top + r.height / 2 };
      }
      const range = document.createRange();
      if (where === "start") {
        range.setStart(texts[0]!, 0);
        range.setEnd(texts[0]!, 1);
        const r = range.getClientRects()[0]!;
        return { x: r.left + 1, y: r.top + r.height / 2 };
      }
      const last = texts[texts.length - 1]!;
      range.setStart(last, last.length - 1);
      range.setEnd(last, last.length);
      const rects = range.getClientRects();
      const r = rects[rects.length - 1]!;
      return { x: r.right + 1, y: r.top + r.height / 2 };
    },
    { id: paragraphId, where },
  );
  if (!point) throw new Error(`no paragraph ${paragraphId} on the page`);
  await page.mouse.click(point.x, point.y);
}

/** The text of a paragraph as the page shows it (numbering and bracket glyphs excluded). */
export async function paragraphText(page: Page, paragraphId: string): Promise<string> {
  return page.evaluate((id) => {
    const el = document.querySelector(`.ProseMirror [data-id="${id}"]`);
    if (!el) return "";
    const clone = el.cloneNode(true) as HTMLElement;
    for (const decoration of clone.querySelectorAll("[data-decoration]")) decoration.remove();
    return clone.textContent ?? "";
  }, paragraphId);
}

/** Waits until a paragraph's text on the page (decorations excluded) contains `text`. */
export async function waitForParagraphText(page: Page, paragraphId: string, text: string, timeout = 10_000): Promise<void> {
  await page.waitForFunction(
    ({ id, text }) => {
      const el = document.querySelector(`.ProseMirror [data-id="${id}"]`);
      if (!el) return false;
      const clone = el.cloneNode(true) as HTMLElement;
      for (const decoration of clone.querySelectorAll("[data-decoration]")) decoration.remove();
      return (clone.textContent ?? "").includes(text);
    },
    { id: paragraphId, text },
    { timeout },
  );
}

/** Writes a full-window screenshot to `test/artifacts/<name>.png` and returns its path. */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(ARTIFACTS, { recursive: true });
  const path = join(ARTIFACTS, `${name}.png`);
  await page.screenshot({ path, fullPage: false });
  return path;
}

/** Polls `check` in Node until it holds (for server-side facts the page cannot wait for). */
export async function until(check: () => Promise<boolean> | boolean, ms = 10_000, what = "condition"): Promise<void> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** Selects `words` inside a paragraph of the text view, as a person dragging the mouse would. */
export async function selectWords(page: Page, paragraphId: string, words: string): Promise<void> {
  await page.locator(paragraphSelector(paragraphId)).click();
  const found = await page.evaluate(
    ({ id, words }) => {
      const block = document.querySelector(`.ProseMirror [data-id="${id}"]`);
      if (!block) return false;
      // Walk the text nodes of the paragraph, skipping decorations (numbers, bracket glyphs).
      const walker = document.createTreeWalker(block, NodeFilter.SHOW_TEXT, {
        acceptNode: (n) => ((n.parentElement?.closest("[data-decoration], [contenteditable=false]") ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT)),
      });
      const nodes: Text[] = [];
      let text = "";
      for (let n = walker.nextNode(); n; n = walker.nextNode()) {
        nodes.push(n as Text);
        text += n.nodeValue ?? "";
      }
      const start = text.indexOf(words);
      if (start < 0) return false;
      const locate = (offset: number): [Text, number] => {
        let seen = 0;
        for (const node of nodes) {
          const len = node.nodeValue?.length ?? 0;
          if (offset <= seen + len) return [node, offset - seen];
          seen += len;
        }
        const last = nodes[nodes.length - 1]!;
        return [last, last.nodeValue?.length ?? 0];
      };
      const [a, ao] = locate(start);
      const [b, bo] = locate(start + words.length);
      const range = document.createRange();
      range.setStart(a, ao);
      range.setEnd(b, bo);
      const selection = window.getSelection()!;
      selection.removeAllRanges();
      selection.addRange(range);
      return true;
    },
    { id: paragraphId, words },
  );
  if (!found) throw new Error(`“${words}” is not in paragraph ${paragraphId}`);
  // ProseMirror reads the DOM selection on selectionchange; give it a frame.
  await page.waitForTimeout(100);
}
