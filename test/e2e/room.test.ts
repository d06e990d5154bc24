/**
 * The editor in a real room, in Chromium: people typing at one spot, agreed text that
 * stays agreed, edits that survive a closed tab, and the tools that make the work faster.
 */
import { beforeAll, describe, expect, it } from "vitest";
import type { ApiClient } from "../helpers/api.js";
import { browserSuite, openDocument, paragraphText, placeCaret, until, withSessions } from "./browser.js";

interface CanonicalParagraph {
  id: string;
  kind: string;
  level: number;
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

/** The text of one paragraph on the server. */
async function serverText(documentId: string, paragraphId: string): Promise<string> {
  return (await serverParagraphs(documentId)).find((p) => p.id === paragraphId)?.text ?? "";
}

describe("the editor in the room", { timeout: 120_000 }, () => {
  it("two delegates typing at the same caret position each keep their run whole", async () => {
    const [arg, bra] = await Promise.all([suite.signIn("arg.delegate"), suite.signIn("bra.delegate")]);
    await withSessions([arg, bra], async () => {
      await Promise.all([openDocument(arg.page, suite.server.url, declaration), openDocument(bra.page, suite.server.url, declaration)]);
      const target = (await serverParagraphs(declaration)).filter((p) => p.kind === "op")[2]!;
      await arg.page.waitForSelector('.presence li[data-username="bra.delegate"]');
      await placeCaret(arg.page, target.id, "end");
      await placeCaret(bra.page, target.id, "end");
      const mine = "AAAAAAAAAAAA";
      const theirs = "bbbbbbbbbbbb";
      // Letter by letter at once, so that each one crosses the other's on the wire.
      await Promise.all([arg.page.keyboard.type(mine, { delay: 40 }), bra.page.keyboard.type(theirs, { delay: 40 })]);
      const whole = (text: string) => text === target.text + mine + theirs || text === target.text + theirs + mine;
      await until(async () => whole(await serverText(declaration, target.id)), 10_000, `both runs whole on the server: ${JSON.stringify(await serverText(declaration, target.id))}`);
      for (const page of [arg.page, bra.page]) await until(async () => whole(await paragraphText(page, target.id)), 10_000, "both runs whole on the page");
    });
  });

  it("a chair agrees a range from the bands; the delegate cannot change agreed text and sees who agreed it, until the chair reopens it", async () => {
    const [chair, arg] = await Promise.all([suite.signIn("chair"), suite.signIn("arg.delegate")]);
    await withSessions([chair, arg], async () => {
      await Promise.all([openDocument(chair.page, suite.server.url, declaration), openDocument(arg.page, suite.server.url, declaration)]);
      const ops = (await serverParagraphs(declaration)).filter((p) => p.kind === "op" && p.level === 0);
      const [op1, op2] = [ops[0]!, ops[1]!];
      const band = (id: string) => `[data-status-band="${id}"]`;
      await chair.page.click(band(op1.id));
      await chair.page.waitForSelector("[data-status-menu]");
      await chair.page.click(band(op2.id), { modifiers: ["Shift"] });
      await chair.page.waitForSelector('[data-status-menu]:has-text("2 paragraphs selected")');
      await chair.page.click('[data-status-menu] [data-set-status="yellow"]');
      await chair.page.waitForSelector('.notice:has-text("OP1 and OP2: agreed in the group")');
      const statuses = async () => (await secretariat.get<Array<{ paragraphId: string; status: string }>>(`/api/documents/${declaration}/paragraph-statuses`)).body;
      expect((await statuses()).filter((s) => s.paragraphId === op1.id || s.paragraphId === op2.id).map((s) => s.status)).toEqual(["yellow", "yellow"]);

      // The delegate's page locks both at once, saying who agreed them; typing there is stopped.
      await arg.page.waitForSelector(`.ProseMirror [data-id="${op1.id}"][data-locked="true"] .lock-note:has-text("chair")`);
      await placeCaret(arg.page, op1.id, "end");
      await arg.page.keyboard.type("XYZ");
      await arg.page.waitForSelector('.notice-error:has-text("OP1 is agreed in the group by chair")');
      expect(await paragraphText(arg.page, op1.id)).toBe(op1.text);
      expect(await serverText(declaration, op1.id)).toBe(op1.text);

      // The chair reopens OP1 (back to white); the delegate may type again.
      await chair.page.click(band(op1.id));
      await chair.page.click('[data-status-menu] [data-set-status="white"]');
      await arg.page.waitForSelector(`.ProseMirror [data-id="${op1.id}"]:not([data-locked])`);
      await placeCaret(arg.page, op1.id, "end");
      await arg.page.keyboard.type(" (reopened)");
      await until(async () => (await serverText(declaration, op1.id)) === `${op1.text} (reopened)`, 10_000, "the edit after reopening");
    });
  });

  it("edits typed offline survive a closed tab: kept in the browser, the page asks before closing, and they reach the server on return", async () => {
    const ury = await suite.signIn("ury.delegate");
    await withSessions([ury], async () => {
      const { context, page } = ury;
      await openDocument(page, suite.server.url, declaration);
      const target = (await serverParagraphs(declaration)).filter((p) => p.kind === "op" && p.level === 0)[5]!;
      await context.setOffline(true);
      await page.waitForSelector("[data-offline-banner]");
      await placeCaret(page, target.id, "end");
      await page.keyboard.type(" (typed offline, tab closed)");
      // The banner says "saved in this browser" only once IndexedDB has committed every change
      // (until then: "still being stored"); a tab closed earlier loses the changes still being written.
      await page.waitForSelector('[data-offline-banner]:has-text("saved in this browser")');
      expect(Number(await page.getAttribute('main[data-page="document"]', "data-unsent"))).toBeGreaterThan(0);
      // Leaving would ask first (the page cancels beforeunload); the person closes the tab anyway.
      const asks = await page.evaluate(() => {
        const leaving = new Event("beforeunload", { cancelable: true });
        window.dispatchEvent(leaving);
        return leaving.defaultPrevented;
      });
      expect(asks).toBe(true);
      await page.close();
      expect(await serverText(declaration, target.id)).toBe(target.text);

      await context.setOffline(false);
      const again = await context.newPage();
      await openDocument(again, suite.server.url, declaration);
      // The new tab reads the edit from IndexedDB, connects and syncs: on a loaded two-core machine that has taken over 10 s.
      await until(async () => (await serverText(declaration, target.id)) === `${target.text} (typed offline, tab closed)`, 30_000, "the offline edit on the server");
      await again.waitForSelector('main[data-page="document"][data-unsent="0"]');
    });
  });

  it("small things: chips tell a delegation's chair from its delegate, Go to lets go of the keyboard, the panel survives a reload", async () => {
    const [chair, arg] = await Promise.all([suite.signIn("chair"), suite.signIn("arg.delegate")]);
    await withSessions([chair, arg], async () => {
      await Promise.all([openDocument(chair.page, suite.server.url, declaration), openDocument(arg.page, suite.server.url, declaration)]);
      // Both are of Argentina: the chips say who is the chair and who the delegate.
      await arg.page.waitForSelector('.presence li[data-username="chair"] .presence-delegation:has-text("ARG Chair")');
      await arg.page.waitForSelector('.presence li[data-username="arg.delegate"] .presence-delegation:has-text("ARG Del.")');

      await arg.page.fill("#go-to-ref", "op 5");
      await arg.page.press("#go-to-ref", "Enter");
      await arg.page.waitForFunction(() => document.activeElement?.id !== "go-to-ref");

      await arg.page.click('[role="tab"]#tab-versions');
      await arg.page.waitForSelector('[data-panel="versions"]');
      await arg.page.reload();
      await arg.page.waitForSelector('main[data-editor="ready"] [data-panel="versions"]');
    });
  });
});
