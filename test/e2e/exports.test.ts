/**
 * The Export menu in real Chromium: an observer downloads the declaration as Word under
 * the file name built from its symbol and reads it back; asking for the clean text while
 * brackets are open shows the server's refusal with its reasons; a version's own menu in
 * the Versions panel downloads that version as PDF.
 */
import { readFile } from "node:fs/promises";
import mammoth from "mammoth";
import { describe, expect, test } from "vitest";
import { browserSuite, screenshot } from "./browser.js";

const suite = browserSuite();

describe("Export menu", () => {
  test("downloads Word named after the symbol, refuses the clean text with its reasons, exports a version as PDF", async () => {
    const declaration = suite.server.demo.documents.declaration!;
    const page = await suite.open("observer", declaration);
    const menu = page.locator('.document-header [data-export-menu="current"]');
    await menu.locator("summary").click();
    await menu.locator('select[name="format"]').selectOption("docx");
    const [download] = await Promise.all([page.waitForEvent("download"), menu.getByRole("button", { name: "Download" }).click()]);
    expect(download.suggestedFilename()).toBe("RTP-II-doc.5-09.docx");
    const text = (await mammoth.extractRawText({ buffer: await readFile((await download.path())!) })).value;
    expect(text).toContain("RTP-II/doc.5/09");
    await menu.getByText("Saved RTP-II-doc.5-09.docx").waitFor();

    await menu.locator('select[name="view"]').selectOption("clean");
    await menu.getByRole("button", { name: "Download" }).click();
    const refusal = menu.getByRole("alert");
    await refusal.waitFor();
    expect(await refusal.textContent()).toMatch(/the clean text exists once no bracket stands.*bracket B\d+ /s);
    await screenshot(page, "export-menu");
    await menu.locator("summary").click();

    await page.locator('aside [role="tab"]#tab-versions').click();
    const row = page.locator("aside [data-version-id]").first();
    await row.waitFor();
    const versionMenu = row.locator(".export-menu");
    const format = versionMenu.locator('select[name="format"]');
    // The panel may draw its list again as it loads (a row replaced closes a menu opened in it): open it until it stays open.
    for (let tries = 0; !(await format.isVisible()); tries++) {
      if (tries === 5) throw new Error("the version's export menu did not stay open");
      await versionMenu.locator("summary").click();
      await format.waitFor({ state: "visible", timeout: 5000 }).catch(() => undefined);
    }
    await format.selectOption("pdf");
    const [pdf] = await Promise.all([page.waitForEvent("download"), versionMenu.getByRole("button", { name: "Download" }).click()]);
    expect(pdf.suggestedFilename()).toMatch(/^RTP-II-doc\.5-09.*\.pdf$/);
    expect((await readFile((await pdf.path())!)).subarray(0, 5).toString()).toBe("%PDF-");
  }, 180_000);
});
