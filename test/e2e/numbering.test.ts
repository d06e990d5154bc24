/**
 * Stable numbers in real Chromium: under negotiation a paragraph inserted after OP1 shows
 * "1 bis." in the margin while OP2 keeps "2.", and the secretariat's Renumber button (the
 * versions panel) gives every paragraph its number in order on the page, live.
 */
import { describe, expect, test } from "vitest";
import { runCommand } from "../../server/commands/command.js";
import { indexOfBlock, insertBlocks, newId } from "../../schema/index.js";
import { browserSuite, openDocument, paragraphSelector, placeCaret, screenshot, until } from "./browser.js";

interface Paragraph {
  id: string;
  kind: string;
  number: string | null;
  ref: string | null;
}

const suite = browserSuite();

describe("stable numbers in the editor", { timeout: 120_000 }, () => {
  test("a paragraph added under negotiation shows 7 bis style numbers, and the secretariat's renumbering shows the order's numbers", async () => {
    const documentId = suite.server.demo.documents.wg2!;
    const api = await suite.server.login("secretariat");
    const paragraphs = async () => (await api.get<{ canonical: { paragraphs: Paragraph[] } }>(`/api/documents/${documentId}/content`)).body.canonical.paragraphs;
    const before = await paragraphs();
    const op1 = before.find((p) => p.ref === "OP1")!;
    const op2 = before.find((p) => p.ref === "OP2")!;

    const session = await suite.signIn("secretariat");
    const { page } = session;
    await openDocument(page, suite.server.url, documentId);
    const added = newId("p");
    runCommand(suite.server.ctx, (tx) =>
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
    await session.close();
  });

  test("the secretariat makes a heading restart the numbering and a paragraph unnumbered from the toolbar, and the page shows the numbers", async () => {
    const documentId = suite.server.demo.documents.wg3!;
    const api = await suite.server.login("secretariat");
    const paragraphs = async () => (await api.get<{ canonical: { paragraphs: Paragraph[] } }>(`/api/documents/${documentId}/content`)).body.canonical.paragraphs;
    const before = await paragraphs();
    const op = (n: number) => before.find((p) => p.ref === `OP${n}`)!;
    // A heading between OP2 and OP3 that, as written, lets the numbers run on.
    const heading = newId("p");
    runCommand(suite.server.ctx, (tx) =>
      tx.changeText(documentId, null, (fragment) =>
        insertBlocks(fragment, indexOfBlock(fragment, op(2).id) + 1, [{ id: heading, type: "heading", kind: "heading", level: 1, runs: [{ text: "Chapter on cooperation" }] }]),
      ),
    );

    const session = await suite.signIn("secretariat");
    const { page } = session;
    await openDocument(page, suite.server.url, documentId);
    const numberOf = (id: string) => page.getAttribute(paragraphSelector(id), "data-number");
    const refOf = (id: string) => page.getAttribute(paragraphSelector(id), "data-ref");
    await page.waitForSelector(paragraphSelector(heading));
    expect(await numberOf(op(3).id)).toBe("3.");

    await placeCaret(page, heading);
    await page.selectOption('.toolbar select[data-tool="heading-numbering"]', "chapter");
    await until(async () => (await refOf(op(3).id)) === "Chapter I OP3", 10_000, "OP3 cited in Chapter I");
    expect(await page.getAttribute(paragraphSelector(heading), "data-numbering")).toBe("chapter");
    // Under negotiation the number stays frozen until the secretariat renumbers.
    expect(await numberOf(op(3).id)).toBe("3.");

    await placeCaret(page, op(2).id);
    await page.click('.toolbar button[data-tool="toggle-numbered"]');
    await until(async () => (await refOf(op(2).id)) === "after OP1", 10_000, "OP2 unnumbered, cited after OP1");
    expect(await numberOf(op(2).id)).toBeNull();
    expect(await numberOf(op(1).id)).toBe("1.");
    await screenshot(page, "numbering-rules");

    // Renumbering gives the order's numbers: the chapter's paragraphs start again at 1.
    await page.locator('aside [role="tab"]#tab-versions').click();
    page.once("dialog", (dialog) => void dialog.accept());
    await page.locator('aside [data-panel="versions"] [data-action="renumber"] button').click();
    await until(async () => (await numberOf(op(3).id)) === "1.", 10_000, "1. on the chapter's first paragraph");
    expect(await numberOf(op(4).id)).toBe("2.");
    expect(await numberOf(op(2).id)).toBeNull();
    expect(await refOf(op(3).id)).toBe("Chapter I OP1");
    // The server numbers the text the same way: the rules reached it as attributes it accepted.
    const after = await paragraphs();
    expect(after.find((p) => p.id === op(2).id)!.ref).toBe("after OP1");
    expect(after.find((p) => p.id === op(3).id)!.ref).toBe("Chapter I OP1");
    await screenshot(page, "numbering-rules-renumbered");
  });
});
