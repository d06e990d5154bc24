import { beforeAll, describe, expect, it } from "vitest";
import type { ApiClient } from "../helpers/api.js";
import { browserSuite, caretIn, newPage, openDocument, paragraphSelector, paragraphText, placeCaret, screenshot, selectWords, settle, typeInParagraph, until, waitForParagraphText, withSessions } from "./browser.js";

interface CanonicalParagraph {
  id: string;
  kind: string;
  level: number;
  number: string | null;
  ref: string | null;
  text: string;
}

const suite = browserSuite();
let secretariat: ApiClient;
let declaration: string;

beforeAll(async () => {
  secretariat = await suite.server.login("secretariat");
  declaration = suite.server.demo.documents.declaration!;
});

/** The paragraphs of a document as the server has them now. */
async function serverParagraphs(documentId: string): Promise<CanonicalParagraph[]> {
  const res = await secretariat.get<{ canonical: { paragraphs: CanonicalParagraph[] } }>(`/api/documents/${documentId}/content`);
  return res.body.canonical.paragraphs;
}

/** The n-th operative paragraph at level 0 (0-based) on the server. */
async function operative(documentId: string, n: number): Promise<CanonicalParagraph> {
  const ops = (await serverParagraphs(documentId)).filter((p) => p.kind === "op" && p.level === 0);
  return ops[n]!;
}

describe("editor in Chromium", () => {
  it("signs in through the login page and shows the meeting's bodies and documents", async () => {
    const { context, page } = await newPage(suite.browser);
    await withSessions([{ context, page, username: "", close: () => context.close() }], async () => {
      await page.goto(`${suite.server.url}/`);
      // Signed out: the application sends the visitor to the login page.
      await page.waitForSelector('form[name="login"]');
      await screenshot(page, "login");
      await page.fill("#username", "arg.delegate");
      await page.fill("#password", "wrong");
      await page.click('form[name="login"] button[type="submit"]');
      await page.waitForSelector(".form-error");
      expect(await page.textContent(".form-error")).toMatch(/wrong username or password/);
      await page.fill("#password", "accord-demo");
      await page.click('form[name="login"] button[type="submit"]');
      await page.waitForSelector('main[data-page="home"] a[data-document-id]');
      const links = await page.$$eval("a[data-document-id]", (as) => as.map((a) => a.getAttribute("data-document-id")));
      expect(links).toContain(declaration);
      expect(links.length).toBe(Object.keys(suite.server.demo.documents).length);
      expect(await page.textContent(".app-bar")).toContain("ARG");
      await page.waitForFunction(() => !document.body.textContent?.includes("…"));
      // The declaration's row shows its open brackets and tabled amendments as the API counts them.
      const brackets = (await secretariat.get<{ brackets: Array<{ state: string }> }>(`/api/documents/${declaration}/brackets`)).body.brackets;
      const tabled = (await secretariat.get<unknown[]>(`/api/documents/${declaration}/amendments?state=tabled`)).body;
      const row = page.locator("tr", { has: page.locator(`a[data-document-id="${declaration}"]`) });
      const counts = await row.locator("td.num").allTextContents();
      expect(counts).toEqual([String(brackets.filter((b) => b.state === "open").length), String(tabled.length)]);
      await screenshot(page, "home");
      await page.click(`a[data-document-id="${declaration}"]`);
      await page.waitForSelector('main[data-page="document"][data-editor="ready"]');
    });
  });

  it("two delegates typing in the same paragraph both see the merged text, and the server has it", async () => {
    const [arg, bra] = await Promise.all([suite.signIn("arg.delegate"), suite.signIn("bra.delegate")]);
    await withSessions([arg, bra], async () => {
      await Promise.all([openDocument(arg.page, suite.server.url, declaration), openDocument(bra.page, suite.server.url, declaration)]);
      const target = await operative(declaration, 1);
      // Both are in the room: each sees the other's delegation in the presence list.
      await arg.page.waitForSelector('.presence li[data-username="bra.delegate"]');
      await bra.page.waitForSelector('.presence li[data-username="arg.delegate"]');
      await Promise.all([
        typeInParagraph(arg.page, target.id, " as agreed by Argentina", "end"),
        typeInParagraph(bra.page, target.id, "Brazil notes: ", "start"),
      ]);
      const merged = (t: string) => t.startsWith("Brazil notes: ") && t.endsWith(" as agreed by Argentina");
      for (const page of [arg.page, bra.page]) {
        await waitForParagraphText(page, target.id, "Brazil notes: ");
        await waitForParagraphText(page, target.id, " as agreed by Argentina");
        expect(merged(await paragraphText(page, target.id))).toBe(true);
      }
      await until(async () => merged((await serverParagraphs(declaration)).find((p) => p.id === target.id)!.text), 10_000, "server text");
      // The other delegate's caret is labelled with name and delegation.
      await arg.page.waitForSelector('.remote-caret-label:has-text("Delegate of Brazil (BRA)")');
      await screenshot(arg.page, "document");
    });
  });

  it("a click the editor has not read yet stands when someone else's text arrives", async () => {
    const [arg, bra] = await Promise.all([suite.signIn("arg.delegate"), suite.signIn("bra.delegate")]);
    await withSessions([arg, bra], async () => {
      await Promise.all([openDocument(arg.page, suite.server.url, declaration), openDocument(bra.page, suite.server.url, declaration)]);
      const [first, target] = [await operative(declaration, 0), await operative(declaration, 2)];
      await arg.page.waitForSelector('.presence li[data-username="bra.delegate"]');
      // Argentina's editor has a caret in OP1; then ProseMirror stops hearing of selection
      // changes, as it does not between a click and the browser's selectionchange event.
      await placeCaret(arg.page, first.id, "end");
      await arg.page.evaluate(() => {
        const hold = (event: Event) => event.stopImmediatePropagation();
        (window as unknown as { holdSelection: (e: Event) => void }).holdSelection = hold;
        window.addEventListener("selectionchange", hold, true);
      });
      await placeCaret(arg.page, target.id, "end");
      // Brazil's text arrives while Argentina's click in OP3 is still unread.
      await typeInParagraph(bra.page, target.id, "Brazil first: ", "start");
      await waitForParagraphText(arg.page, target.id, "Brazil first: ");
      expect(await caretIn(arg.page, target.id)).toEqual({ offset: target.text.length + "Brazil first: ".length, length: target.text.length + "Brazil first: ".length });
      await arg.page.evaluate(() => window.removeEventListener("selectionchange", (window as unknown as { holdSelection: (e: Event) => void }).holdSelection, true));
      await settle(arg.page);
      await arg.page.keyboard.type(" (Argentina)");
      await waitForParagraphText(arg.page, target.id, " (Argentina)");
      expect(await paragraphText(arg.page, target.id)).toBe(`Brazil first: ${target.text} (Argentina)`);
      expect(await paragraphText(arg.page, first.id)).toBe(first.text);
    });
  });

  it("an observer sees the text read-only and cannot change it", async () => {
    const observer = await suite.signIn("observer");
    await withSessions([observer], async () => {
      const { page } = observer;
      await openDocument(page, suite.server.url, declaration);
      expect(await page.getAttribute('main[data-page="document"]', "data-can-write")).toBe("false");
      expect(await page.getAttribute(".ProseMirror", "contenteditable")).toBe("false");
      expect(await page.locator('button[data-tool="add-op"]').count()).toBe(0);
      const before = await serverParagraphs(declaration);
      // Mounted after the first sync: every block once, in the server's order, none duplicated.
      const onPage = await page.$$eval(".ProseMirror > [data-id]", (els) => els.map((e) => e.getAttribute("data-id")));
      expect(onPage).toEqual(before.map((p) => p.id));
      const target = before.find((p) => p.kind === "op")!;
      await typeInParagraph(page, target.id, "OBSERVER TEXT");
      await page.keyboard.press("Enter");
      await new Promise((r) => setTimeout(r, 300));
      expect(await paragraphText(page, target.id)).toBe(target.text);
      expect(await serverParagraphs(declaration)).toEqual(before);
      await screenshot(page, "document-observer");
    });
  });

  it("adds an operative paragraph under negotiation as 1 bis, the ones after it keeping their numbers, on the page and on the server", async () => {
    const mex = await suite.signIn("mex.delegate");
    await withSessions([mex], async () => {
      const { page } = mex;
      await openDocument(page, suite.server.url, declaration);
      const first = await operative(declaration, 0);
      const second = await operative(declaration, 1);
      expect(await page.getAttribute(paragraphSelector(second.id), "data-number")).toBe("2.");
      await placeCaret(page, first.id, "end");
      await page.click('button[data-tool="add-op"]');
      await page.keyboard.type("To establish a follow-up mechanism.");
      const paragraphs = await serverParagraphsEventually((ps) => ps.some((p) => p.text === "To establish a follow-up mechanism."));
      const added = paragraphs.find((p) => p.text === "To establish a follow-up mechanism.")!;
      // The declaration is under negotiation: its numbers are frozen, so the new paragraph is
      // 1 bis and OP2 is still OP2, on the server and on the page.
      expect(added).toMatchObject({ kind: "op", level: 0, number: "1 bis", ref: "OP1 bis" });
      expect(paragraphs.find((p) => p.id === second.id)!.number).toBe("2");
      await page.waitForFunction(
        ([selector]) => document.querySelector(selector!)?.getAttribute("data-number") === "1 bis.",
        [paragraphSelector(added.id)],
      );
      expect(await page.getAttribute(paragraphSelector(second.id), "data-number")).toBe("2.");
      expect(await page.getAttribute(paragraphSelector(added.id), "data-ref")).toBe("OP1 bis");

      // Enter in the middle of a paragraph copies its attributes; the new half gets a fresh id
      // (the server refuses duplicates), and Tab makes it a sub-paragraph "(a)".
      await placeCaret(page, added.id, "end");
      for (let i = 0; i < "mechanism.".length; i++) await page.keyboard.press("ArrowLeft");
      const caret = await caretIn(page, added.id);
      expect(caret).toEqual({ offset: added.text.length - "mechanism.".length, length: added.text.length });
      await settle(page);
      await page.keyboard.press("Enter");
      await page.keyboard.press("Tab");
      // Enter and Tab reach the server as two updates: wait for the second.
      const split = await serverParagraphsEventually((ps) => ps.some((p) => p.text === "mechanism." && p.level === 1));
      const ids = split.map((p) => p.id);
      expect(new Set(ids).size).toBe(ids.length);
      expect(split.find((p) => p.text === "mechanism.")).toMatchObject({ kind: "op", level: 1, number: "(a)" });
      expect(await page.locator(".notice-error").count()).toBe(0);

      // The keyboard alone: Ctrl+Alt+P adds a preambular paragraph below, unnumbered and cited PP.
      await page.keyboard.press("Control+Alt+p");
      await page.keyboard.type("NOTING the follow-up mechanism,");
      const withPP = await serverParagraphsEventually((ps) => ps.some((p) => p.text === "NOTING the follow-up mechanism,"));
      expect(withPP.find((p) => p.text === "NOTING the follow-up mechanism,")).toMatchObject({ kind: "pp", number: null });
    });
  });

  it("draws brackets as square brackets with their holders, and paragraph status as a band that follows the server live", async () => {
    const per = await suite.signIn("per.delegate");
    await withSessions([per], async () => {
      const { page } = per;
      await openDocument(page, suite.server.url, declaration);
      const register = (await secretariat.get<{ brackets: Array<{ id: string; state: string; holders: string[]; paragraphId: string }> }>(
        `/api/documents/${declaration}/brackets`,
      )).body;
      const open = register.brackets.filter((b) => b.state === "open" && b.holders.length > 0);
      expect(open.length).toBeGreaterThan(0);
      const bracket = open[0]!;
      // One "[" and one "]" per open bracket, with the holders on hover.
      await page.waitForSelector(`.bracket-open[data-bracket-glyph="${bracket.id}"][title*="held by"]`);
      expect(await page.locator(".bracket-open").count()).toBe(register.brackets.filter((b) => b.state === "open").length);
      expect(await page.locator(".bracket-close").count()).toBe(await page.locator(".bracket-open").count());
      const title = await page.getAttribute(`.bracket-open[data-bracket-glyph="${bracket.id}"]`, "title");
      for (const holder of bracket.holders) expect(title).toContain(holder);
      expect(await paragraphText(page, bracket.paragraphId)).not.toMatch(/[[\]]/);

      // The chair marks a paragraph agreed in the group: the band turns yellow without a reload.
      const bracketed = new Set(register.brackets.filter((b) => b.state === "open").map((b) => b.paragraphId));
      const target = (await serverParagraphs(declaration)).find((p) => p.kind === "op" && !bracketed.has(p.id))!;
      const chair = await suite.server.login("chair");
      const put = await chair.put(`/api/documents/${declaration}/paragraphs/${target.id}/status`, { status: "yellow" });
      expect(put.status, JSON.stringify(put.body)).toBe(200);
      await page.waitForSelector(`${paragraphSelector(target.id)}.status-yellow`);

      // "Go to" a paragraph by its citation, as the chair names it to the room.
      await page.fill("#go-to-ref", ` ${target.ref!.toLowerCase()} `);
      await page.press("#go-to-ref", "Enter");
      await page.waitForSelector(`${paragraphSelector(target.id)}.flash`);
      await screenshot(page, "document-brackets-status");
      // Agreed text is locked: reopened, so that the tests after this one may type in it.
      expect((await chair.put(`/api/documents/${declaration}/paragraphs/${target.id}/status`, { status: "white" })).status).toBe(200);
    });
  });

  it("a delegate brackets the selected words from the toolbar; a minister is not offered it", async () => {
    const [uru, min] = await Promise.all([suite.signIn("ury.delegate"), suite.signIn("ury.minister")]);
    await withSessions([uru, min], async () => {
      await Promise.all([openDocument(uru.page, suite.server.url, declaration), openDocument(min.page, suite.server.url, declaration)]);
      expect(await min.page.locator('[data-tool="bracket"]').count()).toBe(0);
      const target = await operative(declaration, 4);
      const words = target.text.split(" ").slice(2, 4).join(" ");
      await selectWords(uru.page, target.id, words);
      await uru.page.click('[data-tool="bracket"]');
      await until(async () => {
        const register = (await secretariat.get(`/api/documents/${declaration}/brackets`)).body as { brackets: Array<{ paragraphId: string; text: string; holders: string[]; state: string }> };
        return register.brackets.some((b) => b.paragraphId === target.id && b.text === words && b.holders.includes("URY") && b.state === "open");
      }, 10_000, "the bracket on the server");
      await uru.page.waitForSelector(`${paragraphSelector(target.id)} .bracket-open`);
    });
  });

  it("undo takes back only my own typing, not the other delegate's", async () => {
    const [col, ecu] = await Promise.all([suite.signIn("col.delegate"), suite.signIn("ecu.delegate")]);
    await withSessions([col, ecu], async () => {
      await Promise.all([openDocument(col.page, suite.server.url, declaration), openDocument(ecu.page, suite.server.url, declaration)]);
      const target = await operative(declaration, 6);
      await typeInParagraph(col.page, target.id, " [COL]");
      await waitForParagraphText(ecu.page, target.id, " [COL]");
      await typeInParagraph(ecu.page, target.id, " [ECU]");
      await waitForParagraphText(col.page, target.id, " [ECU]");
      // Typing slowly (a loaded machine) may split " [COL]" into several undo steps: undo
      // until it is gone, and check at every step that Ecuador's words stay.
      await until(async () => {
        const text = (await serverParagraphs(declaration)).find((p) => p.id === target.id)!.text;
        if (!text.endsWith(" [ECU]")) throw new Error(`the other delegate's typing was undone: ${text}`);
        if (text === target.text + " [ECU]") return true;
        await col.page.keyboard.press("Control+z");
        await new Promise((r) => setTimeout(r, 200));
        return false;
      }, 15_000, "Colombia's undo on the server");
      await until(async () => (await paragraphText(ecu.page, target.id)) === target.text + " [ECU]", 10_000, "Ecuador's page");
    });
  });

  it("turns the text read-only at once when the document is withdrawn, without a reload", async () => {
    const wg2 = suite.server.demo.documents.wg2!;
    const pan = await suite.signIn("pan.delegate");
    await withSessions([pan], async () => {
      const { page } = pan;
      await openDocument(page, suite.server.url, wg2);
      expect(await page.getAttribute(".ProseMirror", "contenteditable")).toBe("true");
      const coordinator = await suite.server.login("wg2.chair");
      const res = await coordinator.post(`/api/documents/${wg2}/transitions`, { to: "withdrawn", reason: "Merged into the work programme" });
      expect(res.status).toBe(200);
      await page.waitForSelector('.ProseMirror[contenteditable="false"][aria-readonly="true"]');
      expect(await page.getAttribute('main[data-page="document"]', "data-can-write")).toBe("false");
      expect(await page.textContent(".document-meta")).toContain("Withdrawn");
      expect(await page.locator('button[data-tool="add-op"]').count()).toBe(0);
      const before = await serverParagraphs(wg2);
      await typeInParagraph(page, before.find((p) => p.kind === "op")!.id, "LATE EDIT");
      await new Promise((r) => setTimeout(r, 300));
      expect(await serverParagraphs(wg2)).toEqual(before);
    });
  });

  it("edits made offline on a document withdrawn meanwhile are refused with the reason, and the text reopens as the server has it", async () => {
    const wg3 = suite.server.demo.documents.wg3!;
    const gtm = await suite.signIn("gtm.delegate");
    await withSessions([gtm], async () => {
      const { page, context } = gtm;
      await openDocument(page, suite.server.url, wg3);
      const before = await serverParagraphs(wg3);
      const target = before.find((p) => p.kind === "op")!;
      await context.setOffline(true);
      await page.waitForSelector("[data-offline-banner]");
      await typeInParagraph(page, target.id, " (Guatemala, offline)");
      const coordinator = await suite.server.login("wg3.chair");
      expect((await coordinator.post(`/api/documents/${wg3}/transitions`, { to: "withdrawn", reason: "Superseded" })).status).toBe(200);
      await context.setOffline(false);
      await page.waitForSelector('.notice-error:has-text("not accepted")');
      await page.waitForSelector('main[data-page="document"][data-editor="ready"][data-can-write="false"]');
      await until(async () => (await paragraphText(page, target.id)) === target.text, 10_000, "the text as the server has it");
      expect(await serverParagraphs(wg3)).toEqual(before);
      await screenshot(page, "document-refused");
    });
  });

  it("shows an offline banner when the connection drops and merges the edits made offline", async () => {
    const [ury, chl] = await Promise.all([suite.signIn("ury.delegate"), suite.signIn("chl.delegate")]);
    await withSessions([ury, chl], async () => {
      await Promise.all([openDocument(ury.page, suite.server.url, declaration), openDocument(chl.page, suite.server.url, declaration)]);
      const mine = await operative(declaration, 3);
      const theirs = await operative(declaration, 4);
      await ury.context.setOffline(true);
      await ury.page.waitForSelector("[data-offline-banner]");
      expect(await ury.page.getAttribute('main[data-page="document"]', "data-connection")).toBe("offline");
      await screenshot(ury.page, "document-offline");
      await typeInParagraph(ury.page, mine.id, " (typed offline by Uruguay)");
      await typeInParagraph(chl.page, theirs.id, " (typed online by Chile)");
      await until(async () => (await serverParagraphs(declaration)).find((p) => p.id === theirs.id)!.text.endsWith("by Chile)"), 10_000, "Chile's edit");
      expect((await serverParagraphs(declaration)).find((p) => p.id === mine.id)!.text).not.toContain("Uruguay");
      await ury.context.setOffline(false);
      await ury.page.waitForSelector("[data-offline-banner]", { state: "detached" });
      await until(async () => (await serverParagraphs(declaration)).find((p) => p.id === mine.id)!.text.endsWith("by Uruguay)"), 10_000, "Uruguay's offline edit");
      await waitForParagraphText(ury.page, theirs.id, "(typed online by Chile)");
      await waitForParagraphText(chl.page, mine.id, "(typed offline by Uruguay)");
      expect(await paragraphText(ury.page, theirs.id)).toBe(await paragraphText(chl.page, theirs.id));
    });
  });
});

/** Polls the server's paragraphs until `check` holds, then returns them. */
async function serverParagraphsEventually(check: (ps: CanonicalParagraph[]) => boolean): Promise<CanonicalParagraph[]> {
  let latest: CanonicalParagraph[] = [];
  await until(async () => check((latest = await serverParagraphs(declaration))), 10_000, "server paragraphs");
  return latest;
}
