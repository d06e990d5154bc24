/**
 * The side-by-side view in real Chromium: the demo's Spanish translator opens the Spanish
 * declaration beside its original; both columns are live and lined up paragraph by
 * paragraph, outdated paragraphs carry their band and the original's changes, the filter
 * shows them alone; a change typed in the original outdates the translation live, the
 * translator types the translation and marks it done; a new paragraph (Enter) is stopped;
 * the original's bracket gets its counterpart on the translator's selected words.
 */
import type { Page } from "playwright-core";
import { describe, expect, test } from "vitest";
import * as Y from "yjs";
import { textFragment } from "../../schema/index.js";
import { collabClient } from "../helpers/collab.js";
import { browserSuite, screenshot, settle, until } from "./browser.js";

const suite = browserSuite();

const column = (which: "original" | "translation") => `[data-column="${which}"] .ProseMirror`;
const block = (which: "original" | "translation", id: string) => `${column(which)} > [data-id="${id}"]`;

/** The ids of a column's paragraphs in order, and their tops on the page. */
async function rows(page: Page, which: "original" | "translation"): Promise<Array<{ id: string; top: number; visible: boolean }>> {
  return page.evaluate((selector) => {
    return Array.from(document.querySelectorAll(selector)).map((el) => {
      const box = (el as HTMLElement).getBoundingClientRect();
      return { id: (el as HTMLElement).dataset.id ?? "", top: Math.round(box.top), visible: box.height > 0 };
    });
  }, `${column(which)} > [data-id]`);
}

/** Selects `words` in a paragraph of the translation column. */
async function selectInTranslation(page: Page, id: string, words: string): Promise<void> {
  await page.locator(block("translation", id)).click();
  const found = await page.evaluate(
    ({ selector, words }) => {
      const el = document.querySelector(selector);
      if (!el) return false;
      const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT, {
        acceptNode: (n) => (n.parentElement?.closest("[data-decoration], [contenteditable=false]") ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT),
      });
      for (let n = walker.nextNode(); n; n = walker.nextNode()) {
        const at = (n.nodeValue ?? "").indexOf(words);
        if (at < 0) continue;
        const range = document.createRange();
        range.setStart(n, at);
        range.setEnd(n, at + words.length);
        const selection = window.getSelection()!;
        selection.removeAllRanges();
        selection.addRange(range);
        return true;
      }
      return false;
    },
    { selector: block("translation", id), words },
  );
  if (!found) throw new Error(`no "${words}" in ${id}`);
  await settle(page);
}

describe("side by side", () => {
  test("original and Spanish, live and aligned, with bands, the outdated filter, marking done and bracket counterparts", async () => {
    const original = suite.server.demo.documents.declaration!;
    const secretariat = await suite.server.login("secretariat");
    const languages = (await secretariat.get(`/api/documents/${original}/languages`)).body as Array<{ language: string; documentId: string }>;
    const es = languages.find((l) => l.language === "es")!.documentId;
    const content = (await secretariat.get(`/api/documents/${original}/content`)).body.canonical.paragraphs as Array<{ id: string; ref: string | null; text: string }>;
    const byRef = new Map(content.map((p) => [p.ref, p.id]));

    const session = await suite.signIn("translator.es");
    const page = session.page;
    // From the document page's language line to the view.
    await page.goto(`${suite.server.url}/documents/${es}`);
    await page.locator(`.document-header [data-languages-of="${es}"]`).getByRole("link", { name: "side by side" }).click();
    await page.waitForSelector('main[data-page="side-by-side"][data-editor="ready"]');
    await page.waitForSelector(`${block("translation", byRef.get("PP2")!)}[data-translation="outdated"]`);

    // Aligned: the same paragraphs in the same order, each pair at the same height on the page.
    await until(async () => {
      const [left, right] = [await rows(page, "original"), await rows(page, "translation")];
      return left.length === right.length && left.every((r, i) => r.id === right[i]!.id && Math.abs(r.top - right[i]!.top) <= 2);
    }, 10_000, "the columns lined up");
    expect(await page.locator(`${column("translation")} > [data-translation="outdated"]`).count()).toBe(3);
    const note = page.locator(`[data-note-for="${byRef.get("PP2")}"]`);
    expect(await note.textContent()).toContain("from March 14 to 17, 2006");
    await screenshot(page, "side-by-side");

    // The filter: only the outdated paragraphs, in both columns.
    await page.locator('input[data-filter="outdated"]').check();
    await until(async () => (await rows(page, "translation")).filter((r) => r.visible).length === 3, 5000, "outdated only");
    expect((await rows(page, "original")).filter((r) => r.visible).length).toBe(3);
    await page.locator('input[data-filter="outdated"]').uncheck();

    // Live: a delegate's change in the original outdates OP3 on the translator's screen.
    const op3 = byRef.get("OP3")!;
    expect(await page.locator(block("translation", op3)).getAttribute("data-translation")).toBe("current");
    const delegate = await suite.server.login("arg.delegate");
    const writer = collabClient(suite.server.url, original, delegate.cookie);
    await writer.synced;
    const element = textFragment(writer.doc).toArray().find((e) => (e as Y.XmlElement).getAttribute("id") === op3) as Y.XmlElement;
    const text = element.get(0) as Y.XmlText;
    text.insert(text.length - 1, ", within one year");
    await page.waitForSelector(`${block("original", op3)}:has-text("within one year")`);
    await page.waitForSelector(`${block("translation", op3)}[data-translation="outdated"]`);
    writer.destroy();

    // The translator brings OP3 up to date and marks it done at the caret.
    await page.locator(block("translation", op3)).click();
    await page.keyboard.press("End");
    await page.keyboard.press("ArrowLeft");
    await page.keyboard.type(", en el plazo de un año");
    await until(async () => {
      const now = (await secretariat.get(`/api/documents/${es}/content`)).body.canonical.paragraphs.find((p: { id: string }) => p.id === op3);
      return now.text.includes("en el plazo de un año");
    }, 10_000, "the translation stored");
    await page.locator('button[data-action="mark-current-done"]').click();
    await page.waitForSelector(`${block("translation", op3)}[data-translation="current"]`);

    // A new paragraph is the original's to make: Enter is stopped, with a reason.
    const before = (await rows(page, "translation")).length;
    await page.locator(block("translation", op3)).click();
    await page.keyboard.press("End");
    await page.keyboard.press("Enter");
    await page.getByText("A language version keeps its original's paragraphs").waitFor();
    expect((await rows(page, "translation")).length).toBe(before);

    // The original's bracket in PP7 has no counterpart until the translator marks the words.
    const pp7 = byRef.get("PP7")!;
    const warnings = page.locator(`[data-note-for="${pp7}"] [data-missing-bracket]`);
    await warnings.first().waitFor();
    const open = await warnings.count();
    await selectInTranslation(page, pp7, "fortalecida");
    await warnings.first().getByRole("button").click();
    await until(async () => (await warnings.count()) === open - 1, 10_000, "the counterpart marked");
    expect(await page.locator(`${block("translation", pp7)} .bracket`).count()).toBeGreaterThan(0);
    await screenshot(page, "side-by-side-done");
  }, 180_000);
});
