/**
 * Brackets as negotiating texts use them, in real Chromium: a delegate brackets two whole
 * paragraphs at once from the Brackets panel and sees one bracket drawn around both, then
 * records the hold of a group the meeting lists (G77) beside its own.
 */
import { afterAll, beforeAll, expect, test } from "vitest";
import type { Browser } from "playwright-core";
import { startTestServer, type TestServer } from "../helpers/server.js";
import { createTestDeclaration } from "../helpers/lifecycle.js";
import { launchBrowser, openDocument, paragraphSelector, screenshot, selectWords, settle, signIn, until, type BrowserSession } from "./browser.js";

let server: TestServer;
let browser: Browser;
const sessions: BrowserSession[] = [];

beforeAll(async () => {
  server = await startTestServer();
  browser = await launchBrowser();
});

afterAll(async () => {
  for (const s of sessions) await s.close().catch(() => undefined);
  await browser?.close();
  await server?.stop();
});

test("a delegate brackets two whole paragraphs as one bracket and records a group's hold beside its own", async () => {
  const secretariat = await server.login("secretariat");
  const meeting = server.demo.meetingId;
  const codes = (await secretariat.get(`/api/meetings/${meeting}/delegations`)).body.map((d: { code: string }) => d.code);
  expect((await secretariat.patch(`/api/meetings/${meeting}`, { delegations: [...codes, "G77"] })).status).toBe(200);
  const { id, blocks } = createTestDeclaration(server, "Whole paragraphs in the browser");
  const [op1, op2] = [blocks[2]!, blocks[3]!];

  const session = await signIn(browser, server.url, "arg.delegate").catch(() => signIn(browser, server.url, "arg.delegate"));
  sessions.push(session);
  const page = session.page;
  await openDocument(page, server.url, id);
  await page.locator('aside [role="tab"]#tab-brackets').click();
  await page.waitForSelector("[data-bracket-paragraphs]");

  // From the middle of OP1 to the middle of OP2: both paragraphs, whole.
  await selectWords(page, op1.id, "member states");
  await page.locator(paragraphSelector(op2.id)).click({ modifiers: ["Shift"] });
  await settle(page);
  await page.click("[data-bracket-paragraphs]");

  const api = await server.login("arg.delegate");
  const opened = async () => (await api.get(`/api/documents/${id}/brackets`)).body.brackets.filter((b: { state: string }) => b.state === "open");
  await until(async () => (await opened()).length === 1, 10_000, "the bracket is opened");
  const [bracket] = await opened();
  expect(bracket).toMatchObject({ scope: "paragraphs", paragraphIds: [op1.id, op2.id], holders: ["ARG"] });

  // One bracket drawn around both paragraphs: "[" in the first, "]" in the last.
  await until(async () => (await page.locator(`${paragraphSelector(op1.id)} .bracket-open`).count()) === 1, 10_000, "the opening glyph");
  expect(await page.locator(`${paragraphSelector(op1.id)} .bracket-close`).count()).toBe(0);
  expect(await page.locator(`${paragraphSelector(op2.id)} .bracket-open`).count()).toBe(0);
  expect(await page.locator(`${paragraphSelector(op2.id)} .bracket-close`).count()).toBe(1);
  const item = page.locator(`[data-bracket-id="${bracket.id}"]`);
  expect(await item.textContent()).toContain("whole paragraphs OP1–OP2");

  // ARG speaks for the G77 too.
  await item.locator("[data-group-hold] select").selectOption("G77");
  await item.locator("[data-group-hold] button").click();
  await until(async () => (await api.get(`/api/brackets/${bracket.id}`)).body.holders.join() === "ARG,G77", 10_000, "the group's hold");
  await until(async () => ((await item.textContent()) ?? "").includes("Held by ARG, G77"), 10_000, "the panel shows the group");
  // The glyph's hover text follows the register as the text view hears of the hold.
  const glyph = page.locator(`${paragraphSelector(op1.id)} .bracket-open`);
  await until(async () => /held by ARG, G77/.test((await glyph.getAttribute("title")) ?? ""), 10_000, "the glyph names the group");
  await screenshot(page, "brackets-whole-paragraphs-group");
});
