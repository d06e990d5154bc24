/**
 * Reference footnotes in real Chromium: the secretariat puts the caret after a word,
 * chooses "Footnote", types the note; its lettered marker appears right after that word
 * with the note on hover, the API has it anchored there, and clicking the marker with an
 * empty text removes it.
 */
import { describe, expect, test } from "vitest";
import { createTestDeclaration } from "../helpers/lifecycle.js";
import { browserSuite, openDocument, paragraphSelector, screenshot, selectWords, settle } from "./browser.js";

const NOTE = "See the Palermo Protocol (2000).";

const suite = browserSuite();

describe("reference footnotes in the editor", () => {
  test("the secretariat adds one at the caret, sees it after its word with its text on hover, and removes it", async () => {
    const { id: docId, blocks } = createTestDeclaration(suite.server, "Declaration with a footnote");
    const op = blocks.find((b) => b.kind === "op")!;
    const session = await suite.signIn("secretariat");
    const page = session.page;
    await openDocument(page, suite.server.url, docId);

    // The caret right after "ratify".
    await selectWords(page, op.id, "ratify");
    await page.keyboard.press("ArrowRight");
    await settle(page);
    page.once("dialog", (dialog) => void dialog.accept(NOTE));
    await page.locator('button[data-action="footnote"]').click();

    const marker = page.locator(`${paragraphSelector(op.id)} sup.reference-note`);
    await marker.waitFor();
    expect(await marker.textContent()).toBe("a");
    expect(await marker.getAttribute("title")).toBe(NOTE);
    // The marker stands after "ratify", before " the Palermo Protocol;".
    const around = await marker.evaluate((sup) => ({ before: sup.previousSibling?.textContent ?? "", after: sup.nextSibling?.textContent ?? "" }));
    expect(around.before.endsWith("ratify")).toBe(true);
    expect(around.after.startsWith(" the Palermo")).toBe(true);
    const secretariat = await suite.server.login("secretariat");
    const notes = (await secretariat.get(`/api/documents/${docId}/footnotes`)).body;
    expect(notes).toMatchObject([{ paragraphId: op.id, offset: "To urge member states to ratify".length, placement: "anchor", text: NOTE }]);
    // The note is not text: the paragraph reads as before.
    expect(await page.locator(paragraphSelector(op.id)).evaluate((p) => p.textContent)).toContain("ratifya the Palermo");
    await screenshot(page, "reference-note");

    page.once("dialog", (dialog) => void dialog.accept(""));
    await marker.click();
    await marker.waitFor({ state: "detached" });
    expect((await secretariat.get(`/api/documents/${docId}/footnotes`)).body).toEqual([]);
  });
});
