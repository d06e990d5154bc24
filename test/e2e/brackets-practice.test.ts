/**
 * Brackets as negotiating texts use them, in real Chromium: a delegate brackets two whole
 * paragraphs at once from the Brackets panel and sees one bracket drawn around both, then
 * records the hold of a group the meeting lists (G77) beside its own; words typed at the end
 * of a bracketed paragraph stay in its bracket, and words typed after a bracket that ends a
 * paragraph stay outside it without shortening it.
 */
import { expect, test } from "vitest";
import { createTestDeclaration } from "../helpers/lifecycle.js";
import { browserSuite, caretIn, openDocument, paragraphSelector, placeCaret, screenshot, selectWords, settle, until } from "./browser.js";

const suite = browserSuite();

test("a delegate brackets two whole paragraphs as one bracket and records a group's hold beside its own", async () => {
  const secretariat = await suite.server.login("secretariat");
  const meeting = suite.server.demo.meetingId;
  const codes = (await secretariat.get(`/api/meetings/${meeting}/delegations`)).body.map((d: { code: string }) => d.code);
  expect((await secretariat.patch(`/api/meetings/${meeting}`, { delegations: [...codes, "G77"] })).status).toBe(200);
  const { id, blocks } = createTestDeclaration(suite.server, "Whole paragraphs in the browser");
  const [op1, op2] = [blocks[2]!, blocks[3]!];

  const session = await suite.signIn("arg.delegate");
  const page = session.page;
  await openDocument(page, suite.server.url, id);
  await page.locator('aside [role="tab"]#tab-brackets').click();
  await page.waitForSelector("[data-bracket-paragraphs]");

  // From the middle of OP1 to the middle of OP2: both paragraphs, whole.
  await selectWords(page, op1.id, "member states");
  await page.locator(paragraphSelector(op2.id)).click({ modifiers: ["Shift"] });
  await settle(page);
  await page.click("[data-bracket-paragraphs]");

  const api = await suite.server.login("arg.delegate");
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

test("typing at the end of a bracketed paragraph stays in the bracket; typing after a span's closing bracket stays outside it", async () => {
  const { id, blocks } = createTestDeclaration(suite.server, "Typing at a bracket's edge");
  const [pp, op1, op2] = [blocks[1]!, blocks[2]!, blocks[3]!];
  const textOf = (i: number) => blocks[i]!.runs.map((r) => r.text).join("");
  const api = await suite.server.login("arg.delegate");
  const whole = await api.post(`/api/documents/${id}/brackets`, { paragraphIds: [op1.id, op2.id] });
  expect(whole.status).toBe(201);
  const ppText = textOf(1);
  const spanFrom = ppText.indexOf("a grave crime;");
  const span = await api.post(`/api/documents/${id}/brackets`, { paragraphId: pp.id, from: spanFrom, to: ppText.length });
  expect(span.status).toBe(201);

  const session = await suite.signIn("arg.delegate");
  const page = session.page;
  await openDocument(page, suite.server.url, id);
  await page.waitForSelector(`${paragraphSelector(op2.id)} .bracket-close`);
  await page.waitForSelector(`${paragraphSelector(pp.id)} .bracket-close`);

  // A click just after the last letter lands on the "]" drawn there: a person goes to the
  // start of the line and presses End, as here.
  const typeAtEnd = async (paragraphId: string, words: string) => {
    await placeCaret(page, paragraphId, "start");
    await page.keyboard.press("End");
    await settle(page);
    const caret = await caretIn(page, paragraphId);
    expect(caret && caret.offset === caret.length).toBe(true);
    await page.keyboard.type(words);
  };
  // In the first and in the last paragraph of the bracket, and after the span that ends PP1.
  await typeAtEnd(op1.id, " without delay");
  await typeAtEnd(op2.id, " and regions");
  await typeAtEnd(pp.id, " X");

  type Text = { id: string; text: string; brackets: Array<{ id: string; group: string | null; from: number; to: number }> };
  let texts: Text[] = [];
  await until(async () => {
    texts = (await api.get<{ canonical: { paragraphs: Text[] } }>(`/api/documents/${id}/content`)).body.canonical.paragraphs;
    const of = (pid: string) => texts.find((p) => p.id === pid)?.text ?? "";
    return of(op1.id).endsWith(" without delay") && of(op2.id).endsWith(" and regions") && of(pp.id).endsWith(" X");
  }, 15_000, "the typed words reach the server");
  const of = (pid: string) => texts.find((p) => p.id === pid)!;
  // The whole-paragraph bracket still covers the whole of both paragraphs, the typed words too.
  expect(of(op1.id)).toMatchObject({ text: `${textOf(2)} without delay`, brackets: [{ id: whole.body.id, group: null, from: 0, to: textOf(2).length + " without delay".length }] });
  expect(of(op2.id)).toMatchObject({ text: `${textOf(3)} and regions`, brackets: [{ id: whole.body.id, group: null, from: 0, to: textOf(3).length + " and regions".length }] });
  expect((await api.get(`/api/brackets/${whole.body.id}`)).body).toMatchObject({ scope: "paragraphs", paragraphIds: [op1.id, op2.id], state: "open" });
  // The span is exactly what it was: the words typed after its "]" are outside it.
  expect(of(pp.id)).toMatchObject({ text: `${ppText} X`, brackets: [{ id: span.body.id, group: null, from: spanFrom, to: ppText.length }] });
  // And the page draws it so: "]" before the typed words, none moved into the paragraphs' bracket.
  expect(await page.locator(`${paragraphSelector(op1.id)} .bracket-close`).count()).toBe(0);
  await until(async () => (await page.locator(`${paragraphSelector(pp.id)} .bracket-span`).last().textContent())?.endsWith("crime;") ?? false, 5000, "the span ends at 'crime;'");
  await screenshot(page, "brackets-typing-at-the-edge");
});
