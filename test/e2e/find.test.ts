/**
 * Finding things and reading who did what, in Chromium: the changes since a version
 * coloured per delegation, a delegation's amendments and brackets across the meeting's
 * documents, the search count following others' edits, and the printed page.
 */
import { beforeAll, describe, expect, it } from "vitest";
import * as Y from "yjs";
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { ApiClient } from "../helpers/api.js";
import { collabClient, eventually } from "../helpers/collab.js";
import { indexOfBlock, textFragment } from "../../schema/index.js";
import { browserSuite, caretIn, openDocument, paragraphText, screenshot, typeInParagraph, until, withSessions } from "./browser.js";

interface Paragraph {
  id: string;
  kind: string;
  ref: string | null;
  text: string;
}

const suite = browserSuite();
let chair: ApiClient;
let declaration: string;

beforeAll(async () => {
  chair = await suite.server.login("chair");
  declaration = suite.server.demo.documents.declaration!;
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
  const api = await suite.server.login(username);
  const client = collabClient(suite.server.url, declaration, api.cookie);
  await client.synced;
  const fragment = textFragment(client.doc);
  client.doc.transact(() => change((fragment.get(indexOfBlock(fragment, paragraphId)) as Y.XmlElement).get(0) as Y.XmlText));
  await eventually(async () => done((await paragraphs()).find((p) => p.id === paragraphId)!.text), 5000, `${username}'s edit`);
  client.destroy();
}

describe("finding things and who wrote what", () => {
  it("shows the changes since Rev.1 as tracked changes, coloured and labelled per delegation, with a legend", async () => {
    const rev1 = await chair.post<{ id: string }>(`/api/documents/${declaration}/versions`, { label: "Rev.1" });
    expect(rev1.status).toBe(201);
    const [first, second] = await openParagraphs();
    const word = second!.text.split(" ")[1]!;
    await editAs("bra.delegate", second!.id, (t) => t.delete(second!.text.indexOf(` ${word}`), word.length + 1), (s) => !s.includes(` ${word} `));
    const arg = await suite.signIn("arg.delegate");
    await withSessions([arg], async () => {
      const { page } = arg;
      await openDocument(page, suite.server.url, declaration);
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

      // The view follows the text while it is open: Mexico's edit, stored after it was
      // opened, shows without Refresh, and so does Argentina's own next words.
      const third = (await openParagraphs())[2]!;
      await editAs("mex.delegate", third.id, (t) => t.insert(t.length, " (Mexico)"), (s) => s.endsWith(" (Mexico)"));
      await page.waitForSelector(`.pn-changes [data-paragraph-id="${third.id}"] ins.ch-insert[data-author="MEX"]`);
      expect(await page.locator(`.pn-changes [data-paragraph-id="${third.id}"] ins.ch-insert`).textContent()).toBe(" (Mexico)");
      await page.waitForSelector('.ch-legend li[data-author="MEX"]');
      await typeInParagraph(page, first!.id, " today");
      await page.waitForFunction(
        (id) => document.querySelector(`.pn-changes [data-paragraph-id="${id}"] ins.ch-insert[data-author="ARG"]`)?.textContent === " as agreed by Argentina today",
        first!.id,
      );
    });
  });

  it("lists the delegation's amendments and held brackets across the meeting's documents, each a link to its place", async () => {
    const arg = await suite.server.login("arg.delegate");
    // Argentina proposes a wording and brackets two words, so that both lists have something of its own.
    const [, , , , , sixth] = await openParagraphs();
    const proposed = await arg.post(`/api/documents/${declaration}/amendments`, { paragraphId: sixth!.id, operation: "replace", content: { text: `${sixth!.text} (as amended)` }, rationale: "clarity" });
    expect(proposed.status).toBe(201);
    const bracketed = await arg.post(`/api/documents/${declaration}/brackets`, { paragraphId: sixth!.id, from: 0, to: sixth!.text.indexOf(" ") });
    expect(bracketed.status).toBe(201);
    const documents = (await arg.get<Array<{ id: string; state: string }>>(`/api/meetings/${arg.user.meetingId}/documents`)).body.filter((d) => d.state !== "withdrawn");
    const amendmentIds: string[] = [];
    const bracketIds: string[] = [];
    for (const d of documents) {
      const amendments = (await arg.get<Array<{ id: string; sponsor: string; cosponsors: string[] }>>(`/api/documents/${d.id}/amendments`)).body;
      amendmentIds.push(...amendments.filter((a) => a.sponsor === "ARG" || a.cosponsors.includes("ARG")).map((a) => a.id));
      const register = (await arg.get<{ brackets: Array<{ id: string; holders: string[]; state: string }> }>(`/api/documents/${d.id}/brackets?state=open`)).body;
      bracketIds.push(...register.brackets.filter((b) => b.state === "open" && b.holders.includes("ARG")).map((b) => b.id));
    }
    expect(amendmentIds.length).toBeGreaterThan(0);
    expect(bracketIds.length).toBeGreaterThan(0);
    const session = await suite.signIn("arg.delegate");
    await withSessions([session], async () => {
      const { page } = session;
      await page.click('a[data-action="mine"]');
      await page.waitForSelector('main[data-page="mine"] table.mine-brackets');
      expect((await page.$$eval("tr[data-amendment-id]", (rows) => rows.map((r) => r.getAttribute("data-amendment-id")))).sort()).toEqual(amendmentIds.sort());
      expect((await page.$$eval("tr[data-bracket-id]", (rows) => rows.map((r) => r.getAttribute("data-bracket-id")))).sort()).toEqual(bracketIds.sort());
      await screenshot(page, "mine");
      await page.click(`tr[data-bracket-id="${bracketIds[0]}"] a`);
      await page.waitForSelector('main[data-page="document"][data-editor="ready"] [data-panel="brackets"]');
    });
  });

  it("counts the search's hits again when someone else's edit adds one", async () => {
    const [, , , fourth] = await openParagraphs();
    const arg = await suite.signIn("arg.delegate");
    await withSessions([arg], async () => {
      const { page } = arg;
      await openDocument(page, suite.server.url, declaration);
      await page.click(".find-button");
      await page.fill("#search-text", "quokka");
      await page.waitForFunction(() => document.querySelector("[data-search-count]")?.textContent === "No match");
      await editAs("bra.delegate", fourth!.id, (t) => t.insert(t.length, " quokka"), (s) => s.endsWith(" quokka"));
      // Nothing done on this page: the count follows the text.
      await page.waitForFunction(() => document.querySelector("[data-search-count]")?.textContent === "1 of 1");
    });
  });

  it("Go to puts the caret at the start of the paragraph named, so typing continues there", async () => {
    const [, , , , fifth] = await openParagraphs();
    const arg = await suite.signIn("arg.delegate");
    await withSessions([arg], async () => {
      const { page } = arg;
      await openDocument(page, suite.server.url, declaration);
      await page.fill("#go-to-ref", fifth!.ref!.toLowerCase());
      await page.press("#go-to-ref", "Enter");
      await page.waitForFunction(() => document.activeElement?.classList.contains("ProseMirror"));
      expect(await caretIn(page, fifth!.id)).toMatchObject({ offset: 0 });
      await page.keyboard.type("Also ");
      await until(async () => (await paragraphText(page, fifth!.id)).startsWith("Also "), 5000, "typed at the paragraph");
    });
  });

  it("says on the Reject button what rejecting does", async () => {
    const tabled = (await chair.get<Array<{ id: string }>>(`/api/documents/${declaration}/amendments?state=tabled`)).body;
    expect(tabled.length).toBeGreaterThan(0);
    const session = await suite.signIn("chair");
    await withSessions([session], async () => {
      const { page } = session;
      await openDocument(page, suite.server.url, declaration);
      await page.click("#tab-amendments");
      const reject = page.locator('button[aria-describedby$="-reject-hint"]').first();
      await reject.waitFor();
      const hint = await reject.getAttribute("title");
      expect(hint).toMatch(/^Rejecting closes the amendment/);
      const described = await reject.getAttribute("aria-describedby");
      expect(await page.textContent(`#${described}`)).toBe(hint);
    });
  });

  it("reaches consolidation from the meeting home with the group reports chosen", async () => {
    const rapporteur = await suite.server.login("rapporteur");
    const groupReports = (await rapporteur.get<Array<{ id: string; kind: string }>>(`/api/meetings/${rapporteur.user.meetingId}/documents`)).body.filter((d) => d.kind === "group_report");
    expect(groupReports.length).toBeGreaterThan(0);
    const session = await suite.signIn("rapporteur");
    await withSessions([session], async () => {
      const { page } = session;
      await page.click('a[data-action="consolidate"]');
      await page.waitForSelector('[data-panel="consolidation"] .pn-source');
      await page.waitForFunction((n) => document.querySelectorAll('.pn-source[data-kind="group_report"] > label input:checked').length === n, groupReports.length);
      expect(await page.locator('.pn-source:not([data-kind="group_report"]) > label input:checked').count()).toBe(0);
    });
  });

  it("prints the document page with page numbers, the symbol as running header from page 2, and no screen control", async () => {
    const session = await suite.signIn("chair");
    await withSessions([session], async () => {
      const { page } = session;
      await openDocument(page, suite.server.url, declaration);
      const pdf = await page.pdf({ format: "A4" });
      const dir = mkdtempSync(join(tmpdir(), "find-print-"));
      writeFileSync(join(dir, "page.pdf"), pdf);
      const text = execFileSync("pdftotext", ["-layout", join(dir, "page.pdf"), "-"], { encoding: "utf8" });
      rmSync(dir, { recursive: true, force: true });
      const pages = text.split("\f").filter((p) => p.trim().length > 0);
      expect(pages.length).toBeGreaterThan(1);
      const symbol = (await chair.get<{ symbol: string }>(`/api/documents/${declaration}`)).body.symbol;
      // pdftotext joins "1 / 2" as "1/2".
      pages.forEach((p, i) => expect(p).toMatch(new RegExp(`\\b${i + 1}\\s*/\\s*${pages.length}\\b`)));
      for (const p of pages.slice(1)) expect(p.trim().split("\n")[0]).toContain(symbol);
      // Page 1 has the symbol once, in the masthead: no running header there.
      expect(pages[0]!.split(symbol).length - 1).toBe(1);
      // None of the screen's controls: toolbar, find, go to, presence, panels, export.
      for (const control of ["+ Operative", "Bracket", "Find", "Go to", "Present", "person here", "Amendments", "Versions", "Export", "Sign out", "side by side"]) expect(text).not.toContain(control);
    });
  });

  it("keeps the reader's panel and place in the text across a reload", async () => {
    const ops = (await paragraphs()).filter((p) => p.kind === "op");
    const target = ops[2]!;
    const session = await suite.signIn("arg.delegate");
    await withSessions([session], async () => {
      const { page } = session;
      await openDocument(page, suite.server.url, declaration);
      await page.click("#tab-versions");
      await page.evaluate((id) => {
        const el = document.querySelector(`.ProseMirror > [data-id="${id}"]`)!;
        window.scrollBy(0, el.getBoundingClientRect().top - 60);
      }, target.id);
      const key = `accord:place:${declaration}`;
      await page.waitForFunction((k) => sessionStorage.getItem(k) !== null, key);
      // The paragraph at the top of the window, and where it stands, as the page saw it.
      const place = await page.evaluate((k) => JSON.parse(sessionStorage.getItem(k)!) as { paragraphId: string; top: number }, key);
      expect(place.top).toBeGreaterThan(-400);
      await page.reload();
      await page.waitForSelector('main[data-editor="ready"] [data-panel="versions"]');
      await page.waitForFunction(
        ([id, top]) => Math.abs(document.querySelector(`.ProseMirror > [data-id="${id}"]`)!.getBoundingClientRect().top - Number(top)) < 5,
        [place.paragraphId, place.top] as const,
      );
      expect(await page.evaluate(() => window.scrollY)).toBeGreaterThan(200);
    });
  });

  it("tells apart the chips of a delegation's chair and delegate by role and name", async () => {
    const [chairSession, argSession] = await Promise.all([suite.signIn("chair"), suite.signIn("arg.delegate")]);
    await withSessions([chairSession, argSession], async () => {
      await Promise.all([openDocument(chairSession.page, suite.server.url, declaration), openDocument(argSession.page, suite.server.url, declaration)]);
      const { page } = argSession;
      await page.waitForSelector('.presence li[data-username="chair"] .presence-name');
      expect(await page.textContent('.presence li[data-username="chair"] .presence-delegation')).toBe("ARG Chair");
      expect(await page.textContent('.presence li[data-username="chair"] .presence-name')).toBe("Chair of the Meeting");
      const own = await page.textContent('.presence li[data-username="arg.delegate"] .presence-name');
      expect(own).toBeTruthy();
      expect(own).not.toBe("Chair of the Meeting");
    });
  });
});
