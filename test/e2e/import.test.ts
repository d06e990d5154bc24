/**
 * "Import from Word" in real Chromium: the secretariat chooses a DOCX on the meeting home,
 * sees the structure found and every warning, then creates the document and lands in it.
 */
import { expect, test } from "vitest";
import { buildDocx } from "../helpers/docx.js";
import * as Y from "yjs";
import { runCommand } from "../../server/commands/command.js";
import { blockElement } from "../../server/brackets/spans.js";
import { createTestDeclaration } from "../helpers/lifecycle.js";
import { browserSuite, openDocument, screenshot, until, waitForEditor } from "./browser.js";

const suite = browserSuite();

test("the secretariat imports a Word draft after seeing its structure and warnings", async () => {
  const bytes = await buildDocx([
    { text: "RTP-II/doc.7/26" },
    { text: "DRAFT CONCLUSIONS ON IMPORT" },
    { text: "CONSIDERING:" },
    { text: "That cooperation [among authorities] (USA) is essential;" },
    { text: "RESOLVES:" },
    { text: "1. To act." },
    { text: "3. To report." },
  ]);
  const session = await suite.signIn("secretariat");
  const page = session.page;
  await page.click('a[data-action="import"]');
  await page.waitForSelector('main[data-page="import"]');
  await page.setInputFiles('input[type="file"]', { name: "draft.docx", mimeType: "application/vnd.openxmlformats-officedocument.wordprocessingml.document", buffer: bytes });
  await page.click('.import-form button[type="submit"]');
  await page.waitForSelector("[data-warnings]");
  expect(await page.textContent("[data-counts]")).toMatch(/2 lead-ins, 0 headings, 1 preambular and 2\s+operative paragraphs, 1 brackets/);
  // The file's own number is kept (cited OP3, as typed), and the gap is named by its place.
  expect(await page.textContent("[data-warnings]")).toMatch(/OP3: typed number 3\. where 2 was expected: a gap in the numbering, kept as typed/);
  expect(await page.textContent(".import-structure")).toContain("That cooperation [among authorities] is essential;");
  expect(await page.inputValue('input[name="symbol"]')).toBe("RTP-II/doc.7/26");
  await screenshot(page, "import-dry-run");
  await page.click('.import-create button[type="submit"]');
  await waitForEditor(page);
  expect(await page.textContent(".ProseMirror")).toContain("DRAFT CONCLUSIONS ON IMPORT");
});

test("the chair sees a typed bracket in the register and converts it into a real one", async () => {
  const { id, blocks } = createTestDeclaration(suite.server, "Typed bracket in the browser");
  const op1 = blocks[2]!;
  runCommand(suite.server.ctx, (tx) =>
    tx.changeText(id, null, (fragment) => {
      const text = blockElement(fragment, op1.id)!.get(0) as Y.XmlText;
      text.insert("To urge member states".length, "]");
      text.insert("To urge ".length, "[");
    }),
  );
  const session = await suite.signIn("chair");
  const page = session.page;
  await openDocument(page, suite.server.url, id);
  await page.locator('aside [role="tab"]#tab-brackets').click();
  await page.waitForSelector("[data-typed-brackets]");
  expect(await page.textContent("[data-typed-brackets]")).toContain("To urge [member states] to ratify");
  await page.click('[data-typed-brackets] button:has-text("Convert to bracket")');
  await page.waitForSelector("[data-typed-brackets]", { state: "detached" });
  const chair = await suite.server.login("chair");
  await until(async () => (await chair.get(`/api/documents/${id}/brackets`)).body.counts.open === 1);
  const register = (await chair.get(`/api/documents/${id}/brackets`)).body;
  expect(register.brackets[0]).toMatchObject({ text: "member states", paragraphRef: "OP1", holders: [] });
  expect(register.counts.typed).toBe(0);
});
