/**
 * Stable numbers in real Chromium: under negotiation a paragraph inserted after OP1 shows
 * "1 bis." in the margin while OP2 keeps "2.", and the secretariat's Renumber button (the
 * versions panel) gives every paragraph its number in order on the page, live.
 */
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { Browser } from "playwright-core";
import { startTestServer, type TestServer } from "../helpers/server.js";
import { runCommand } from "../../server/commands/command.js";
import { indexOfBlock, insertBlocks, newId } from "../../schema/index.js";
import { launchBrowser, openDocument, paragraphSelector, screenshot, signIn, until, type BrowserSession } from "./browser.js";

interface Paragraph {
  id: string;
  kind: string;
  number: string | null;
  ref: string | null;
}

let server: TestServer;
let browser: Browser;
let session: BrowserSession | null = null;

beforeAll(async () => {
  [server, browser] = await Promise.all([startTestServer(), launchBrowser()]);
});
afterAll(async () => {
  await session?.close().catch(() => undefined);
  await browser?.close();
  await server?.stop();
});

describe("stable numbers in the editor", { timeout: 120_000 }, () => {
  test("a paragraph added under negotiation shows 7 bis style numbers, and the secretariat's renumbering shows the order's numbers", async () => {
    const documentId = server.demo.documents.wg2!;
    const api = await server.login("secretariat");
    const paragraphs = async () => (await api.get<{ canonical: { paragraphs: Paragraph[] } }>(`/api/documents/${documentId}/content`)).body.canonical.paragraphs;
    const before = await paragraphs();
    const op1 = before.find((p) => p.ref === "OP1")!;
    const op2 = before.find((p) => p.ref === "OP2")!;

    session = await signIn(browser, server.url, "secretariat");
    const { page } = session;
    await openDocument(page, server.url, documentId);
    const added = newId("p");
    runCommand(server.ctx, (tx) =>
      tx.changeText(documentId, null, (fragment) =>
        insertBlocks(fragment, indexOfBlock(fragment, op1.id) + 1, [{ id: added, type: "paragraph", kind: "op", level: 0, runs: [{ text: "Exchange information on routes." }] }]),
      ),
    );
    const numberOf = (id: string) => page.getAttribute(paragraphSelector(id), "data-number");
    await until(async () => (await numberOf(added)) === "1 bis.", 10_000, "1 bis. on the new paragraph");
    expect(await numberOf(op2.id)).toBe("2.");
    expect(await page.getAttribute(paragraphSelector(added), "data-ref")).toBe("OP1 bis");
    await screenshot(page, "numbering-bis");

    await page.locator('aside [role="tab"]#tab-versions').click();
    const renumber = page.locator('aside [data-panel="versions"] [data-action="renumber"] button');
    page.once("dialog", (dialog) => void dialog.accept());
    await renumber.click();
    await until(async () => (await numberOf(added)) === "2.", 10_000, "2. on the renumbered paragraph");
    expect(await numberOf(op2.id)).toBe("3.");
    expect((await paragraphs()).find((p) => p.id === added)!.ref).toBe("OP2");
    await page.waitForSelector('aside [data-panel="versions"] tr:has-text("Renumbered")');
    await screenshot(page, "numbering-renumbered");
  });
});
