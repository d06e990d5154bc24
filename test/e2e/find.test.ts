/**
 * Finding things and reading who did what, in Chromium: the changes since a version
 * coloured per delegation, a delegation's amendments and brackets across the meeting's
 * documents, the search count following others' edits, and the printed page.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as Y from "yjs";
import type { Browser } from "playwright-core";
import { startTestServer, type TestServer } from "../helpers/server.js";
import type { ApiClient } from "../helpers/api.js";
import { collabClient, eventually } from "../helpers/collab.js";
import { indexOfBlock, textFragment } from "../../schema/index.js";
import { launchBrowser, openDocument, screenshot, signIn, typeInParagraph, until, type BrowserSession } from "./browser.js";

interface Paragraph {
  id: string;
  kind: string;
  ref: string | null;
  text: string;
}

let server: TestServer;
let browser: Browser;
let chair: ApiClient;
let declaration: string;

beforeAll(async () => {
  [server, browser] = await Promise.all([startTestServer(), launchBrowser()]);
  chair = await server.login("chair");
  declaration = server.demo.documents.declaration!;
});
afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

async function paragraphs(): Promise<Paragraph[]> {
  return (await chair.get<{ canonical: { paragraphs: Paragraph[] } }>(`/api/documents/${declaration}/content`)).body.canonical.paragraphs;
}

/** Operative paragraphs nobody has agreed yet (agreed text is locked). */
async function openParagraphs(): Promise<Paragraph[]> {
  const statuses = (await chair.get<Array<{ paragraphId: string; status: string }>>(`/api/documents/${declaration}/paragraph-statuses`)).body;
  const agreed = new Set(statuses.filter((s) => s.status !== "white").map((s) => s.paragraphId));
  return (await paragraphs()).filter((p) => p.kind === "op" && !agreed.has(p.id));
}

/** Changes one paragraph as `username` through a stock y-websocket client; waits for the server to have it. */
async function editAs(username: string, paragraphId: string, change: (text: Y.XmlText) => void, done: (text: string) => boolean): Promise<void> {
  const api = await server.login(username);
  const client = collabClient(server.url, declaration, api.cookie);
  await client.synced;
  const fragment = textFragment(client.doc);
  client.doc.transact(() => change((fragment.get(indexOfBlock(fragment, paragraphId)) as Y.XmlElement).get(0) as Y.XmlText));
  await eventually(async () => done((await paragraphs()).find((p) => p.id === paragraphId)!.text), 5000, `${username}'s edit`);
  client.destroy();
}

async function withSessions<T>(sessions: BrowserSession[], fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } finally {
    await Promise.all(sessions.map((s) => s.close()));
  }
}

describe("finding things and who wrote what", () => {
  it("shows the changes since Rev.1 as tracked changes, coloured and labelled per delegation, with a legend", async () => {
    const rev1 = await chair.post<{ id: string }>(`/api/documents/${declaration}/versions`, { label: "Rev.1" });
    expect(rev1.status).toBe(201);
    const [first, second] = await openParagraphs();
    const word = second!.text.split(" ")[1]!;
    await editAs("bra.delegate", second!.id, (t) => t.delete(second!.text.indexOf(` ${word}`), word.length + 1), (s) => !s.includes(` ${word} `));
    const arg = await signIn(browser, server.url, "arg.delegate");
    await withSessions([arg], async () => {
      const { page } = arg;
      await openDocument(page, server.url, declaration);
      await typeInParagraph(page, first!.id, " as agreed by Argentina");
      await until(async () => (await paragraphs()).find((p) => p.id === first!.id)!.text.endsWith(" as agreed by Argentina"), 10_000, "typed text stored");

      await page.click("#tab-versions");
      await page.click(`tr[data-version-id="${rev1.body.id}"] button[data-action="changes-since"]`);
      await page.waitForSelector(".pn-changes");
      expect(await page.textContent(".pn-changes h3")).toBe("Changes since Rev.1");
      const inserted = page.locator(`.pn-changes [data-paragraph-id="${first!.id}"] ins.ch-insert`);
      expect(await inserted.textContent()).toBe(" as agreed by Argentina");
      expect(await inserted.getAttribute("data-author")).toBe("ARG");
      expect(await inserted.getAttribute("title")).toMatch(/^Inserted by Argentina \(ARG\), /);
      const deleted = page.locator(`.pn-changes [data-paragraph-id="${second!.id}"] del.ch-delete`);
      expect(await deleted.textContent()).toBe(` ${word}`);
      expect(await deleted.getAttribute("data-author")).toBe("BRA");
      // Each delegation has its own colour, and the tag after the change names it.
      const colours = await page.$$eval(".pn-changes .ch-run", (els) => [...new Set(els.map((e) => getComputedStyle(e).color))]);
      expect(colours).toHaveLength(2);
      expect(await page.locator(`.pn-changes [data-paragraph-id="${second!.id}"] .ch-tag`).textContent()).toBe("BRA");
      expect(await page.locator('.ch-legend li[data-author="ARG"] .ch-who').textContent()).toBe("Argentina (ARG)");
      expect(await page.locator('.ch-legend li[data-author="BRA"] .ch-who').textContent()).toBe("Brazil (BRA)");
      // Only the two changed paragraphs are listed until the unchanged ones are asked for.
      expect(await page.locator(".pn-changes .ch-paragraph").count()).toBe(2);
      await screenshot(page, "changes-since");
    });
  });
});
