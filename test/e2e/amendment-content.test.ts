/**
 * Amendment forms in real Chromium with content beyond one plain paragraph: a
 * three-paragraph amendment (operative paragraph, sub-paragraph, sub-sub-paragraph, with
 * italics) opens in the sponsor's edit form and the chair's decision form with every
 * paragraph, kind and level, and survives an edit and an acceptance as modified unchanged.
 */
import { describe, expect, test } from "vitest";
import type { Page } from "playwright-core";
import { browserSuite, screenshot, until } from "./browser.js";

const suite = browserSuite();

async function openAmendments(page: Page): Promise<string> {
  await page.locator(`aside [role="tab"]#tab-amendments`).click();
  const selector = `aside [data-panel="amendments"]`;
  await page.waitForSelector(selector, { state: "visible" });
  return selector;
}

/** What each paragraph row of a content form shows: kind, level and text. */
async function rowsShown(page: Page, form: string): Promise<Array<[string, string, string]>> {
  const groups = page.locator(`${form} .pn-content-paragraph`);
  const shown: Array<[string, string, string]> = [];
  for (let i = 0; i < (await groups.count()); i++) {
    const group = groups.nth(i);
    shown.push([await group.locator("select >> nth=0").inputValue(), await group.locator("select >> nth=1").inputValue(), await group.locator("textarea").inputValue()]);
  }
  return shown;
}

const CONTENT = [
  {
    type: "paragraph",
    attrs: { kind: "op", level: 0 },
    content: [
      { type: "text", text: "To establish national referral mechanisms under the " },
      { type: "text", text: "Palermo Protocol", marks: [{ type: "em" }] },
      { type: "text", text: ", including:" },
    ],
  },
  { type: "paragraph", attrs: { kind: "op", level: 1 }, content: [{ type: "text", text: "Shelters run with survivors' organizations;" }] },
  { type: "paragraph", attrs: { kind: "op", level: 2 }, content: [{ type: "text", text: "Legal aid in the victim's own language." }] },
];

/**
 * CONTENT as the server stores and returns it: in ProseMirror JSON every attribute is
 * written, so each paragraph also carries its numbering rule, `numbered` by default
 * (docs/model.md, Numbering); the client may leave it out.
 */
const STORED = CONTENT.map((p) => ({ ...p, attrs: { ...p.attrs, numbering: "numbered" } }));

/** The rows the forms must show for CONTENT: kind, level, text. */
const ROWS = [
  ["op", "0", "To establish national referral mechanisms under the Palermo Protocol, including:"],
  ["op", "1", "Shelters run with survivors' organizations;"],
  ["op", "2", "Legal aid in the victim's own language."],
];

describe("amendment forms with multi-paragraph content", { timeout: 300_000 }, () => {
  test("a three-paragraph amendment survives the sponsor's edit and the chair's acceptance as modified unchanged", async () => {
    const documentId = suite.server.demo.documents.wg2!;
    const chairApi = await suite.server.login("wg2.chair");
    const arg = await suite.server.login("arg.delegate");
    const paragraphs = (await chairApi.get(`/api/documents/${documentId}/content`)).body.canonical.paragraphs as Array<{ id: string; ref: string | null }>;
    const target = paragraphs.find((p) => p.ref === "OP1")!;
    const drafted = await arg.post(`/api/documents/${documentId}/amendments`, { paragraphId: target.id, operation: "replace", content: CONTENT, rationale: "Referral in detail" });
    expect(drafted.status, JSON.stringify(drafted.body)).toBe(201);
    const amendmentId = drafted.body.id as string;
    const stored = drafted.body.content;
    expect(stored).toEqual(STORED);

    // The sponsor edits it: every paragraph shows with its kind and level; only the rationale changes.
    const delegate = await suite.open("arg.delegate", documentId);
    const panel = await openAmendments(delegate);
    const item = `${panel} .pn-amendment[data-amendment-id="${amendmentId}"]`;
    await delegate.click(`${item} button:text-is("Edit")`);
    const editForm = `${item} form`;
    await delegate.waitForSelector(`${editForm} .pn-content-paragraph >> nth=2`);
    expect(await rowsShown(delegate, editForm)).toEqual(ROWS);
    await screenshot(delegate, "panel-amendment-three-paragraphs-edit");
    await delegate.fill(`${editForm} textarea[id$="-why"]`, "Referral in detail, as agreed with CAN");
    await delegate.click(`${editForm} button[type="submit"]`);
    let edited: { content: unknown; rationale: string } = { content: null, rationale: "" };
    await until(async () => {
      edited = (await arg.get(`/api/amendments/${amendmentId}`)).body;
      return edited.rationale === "Referral in detail, as agreed with CAN";
    }, 15_000, "the edit saved");
    expect(edited.content).toEqual(stored);

    // Tabled; the chair accepts it as modified without changing a word: the wording is the sponsor's.
    expect((await arg.post(`/api/amendments/${amendmentId}/table`)).status).toBeLessThan(300);
    const chair = await suite.open("wg2.chair", documentId);
    const chairPanel = await openAmendments(chair);
    const chairItem = `${chairPanel} .pn-amendment[data-amendment-id="${amendmentId}"]`;
    await chair.waitForSelector(`${chairItem}.pn-state-tabled`);
    await chair.click(`${chairItem} button:text-is("Accept as modified…")`);
    const decision = `${chairItem} .pn-decision`;
    await chair.waitForSelector(`${decision} .pn-content-paragraph >> nth=2`);
    expect(await rowsShown(chair, decision)).toEqual(ROWS);
    await screenshot(chair, "panel-amendment-three-paragraphs-decision");
    await chair.click(`${decision} button:text-is("Confirm acceptance as modified")`);
    let decided: { state: string; decidedContent: unknown; resultParagraphIds: string[] } = { state: "", decidedContent: null, resultParagraphIds: [] };
    await until(async () => {
      decided = (await chairApi.get(`/api/amendments/${amendmentId}`)).body;
      return decided.state === "accepted_as_modified";
    }, 15_000, "the decision");
    expect(decided.decidedContent).toEqual(stored);

    // The text now has the three paragraphs, with their kinds and levels, where OP1 stood.
    const after = (await chairApi.get(`/api/documents/${documentId}/content`)).body.canonical.paragraphs as Array<{ id: string; kind: string; level: number; ref: string; text: string }>;
    const placed = decided.resultParagraphIds.map((id) => after.find((p) => p.id === id)!);
    expect(placed.map((p) => [p.kind, p.level, p.ref, p.text])).toEqual([
      ["op", 0, "OP1", "To establish national referral mechanisms under the Palermo Protocol, including:"],
      ["op", 1, "OP1(a)", "Shelters run with survivors' organizations;"],
      ["op", 2, "OP1(a)(i)", "Legal aid in the victim's own language."],
    ]);
  });
});
