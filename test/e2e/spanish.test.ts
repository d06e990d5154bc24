/**
 * A Spanish-speaking delegate uses the interface in Spanish in Chromium: they choose
 * Español in the app bar, and the meeting home, the document page and every panel they
 * open speak Spanish (the document's own words aside), dates and counts included; the
 * choice survives a reload.
 */
import { describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import { browserSuite, newPage, screenshot, until, waitForEditor } from "./browser.js";

const suite = browserSuite();

/**
 * Words of the English interface that must not be left on a Spanish screen. Each is
 * matched as a whole word, with its capital, in the text a person sees.
 */
const ENGLISH = [
  "Sign out", "Loading", "Meeting documents", "Import from Word", "Symbol", "Document", "State", "Open brackets",
  "Tabled amendments", "Chair", "Draft", "Under negotiation", "Agreed", "Adopted", "Declaration", "Resolution", "Report",
  "Delegate", "Secretariat", "Find", "Present", "Export", "Read-only", "Amendments", "Brackets", "Status", "Versions",
  "Lifecycle", "Recommendations", "Comments", "Notes", "Propose amendment", "Filter", "Paragraph", "Paragraphs",
  "Delegation", "All paragraphs", "All states", "Bracket the selection", "Clean text", "Compilation text",
  "Agreed paragraphs", "Save version", "Compare", "Save", "Cancel", "Close", "Download", "Format", "Paper", "Sign",
  "Make a reservation", "What you can do", "Stages of the document", "No panels", "Keyboard shortcuts", "Go to",
  "people here", "person here", "amendments", "tabled", "open bracket", "open brackets", "White", "Yellow", "Green",
  "not agreed", "agreed in the group", "Your recommendations", "None yet", "Version", "Saved", "Hash", "Open",
  "Operative", "Indent", "Outdent", "Undo", "Redo", "Italic", "Add", "Language",
];

/** Text the person sees, without the document's own words (the text, quotations, titles, names). */
async function interfaceText(page: Page): Promise<string> {
  return page.evaluate(() => {
    const data = [
      ".ProseMirror",
      ".document-heading h1",
      ".document-heading .symbol",
      ".masthead-fields",
      ".meeting-header h1",
      ".meeting-header .series",
      "td a[data-document-id]",
      ".body-row th",
      ".who-name",
      ".presence",
      ".pn-quote",
      ".pn-diff-block",
      ".pn-bracket-text",
      ".pn-official",
      ".pn-rationale",
      ".pn-meta",
      ".pn-amendment-number",
      ".pn-table td",
      "option",
      "select",
      ".language-picker",
    ];
    let text = document.body.innerText;
    for (const selector of data)
      for (const el of document.querySelectorAll<HTMLElement>(selector)) {
        const own = el.innerText?.trim();
        if (own) text = text.split(own).join(" ");
      }
    return text;
  });
}

/** The English interface words found in `text`. */
function englishIn(text: string): string[] {
  return ENGLISH.filter((word) => new RegExp(`(^|[^\\p{L}])${word.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}($|[^\\p{L}])`, "u").test(text));
}

describe("the interface in Spanish", () => {
  it("a delegate switches to Español and walks the meeting home, the document page and its panels with no English left; the choice survives a reload", async () => {
    const { page } = await suite.signIn("arg.delegate");
    expect(await page.getAttribute("html", "lang")).toBe("en");
    expect(await page.textContent(".app-bar")).toContain("Sign out");

    // The choice is in the app bar; the page reloads in Spanish.
    await Promise.all([page.waitForEvent("load"), page.selectOption(".app-bar select.language-picker", "es")]);
    await page.waitForSelector('main[data-page="home"] table.documents');
    expect(await page.getAttribute("html", "lang")).toBe("es");
    expect(await page.textContent(".app-bar")).toContain("Cerrar sesión");
    expect(await page.textContent("table.documents thead")).toContain("Corchetes abiertos");
    // Counts arrive after the list: wait until none is still loading ("…").
    await page.waitForFunction(() => ![...document.querySelectorAll("table.documents .count")].some((c) => c.textContent === "…"));
    expect(englishIn(await interfaceText(page))).toEqual([]);
    await screenshot(page, "spanish-home");

    // The document page, and each panel the delegate has.
    await page.click("a[data-document-id]");
    await waitForEditor(page);
    expect(await page.textContent(".document-meta")).toMatch(/En negociación|Proyecto/);
    expect(englishIn(await interfaceText(page))).toEqual([]);
    const tabs = await page.$$eval('aside [role="tab"]', (els) => els.map((el) => el.id));
    expect(tabs.length).toBeGreaterThan(3);
    for (const tab of tabs) {
      await page.click(`aside [role="tab"]#${tab}`);
      const panel = `aside [data-panel="${tab.replace(/^tab-/, "")}"]`;
      await page.waitForSelector(`${panel} *`);
      // A panel shows "Cargando…" until its data has come; its words are judged after.
      await page.waitForFunction((selector) => !/Cargando/.test((document.querySelector(selector) as HTMLElement | null)?.innerText ?? ""), panel);
      const found = englishIn(await interfaceText(page));
      if (found.length) await screenshot(page, `spanish-${tab}`);
      expect({ panel: tab, english: found }).toEqual({ panel: tab, english: [] });
    }
    await screenshot(page, "spanish-document");

    // The shortcut list and the find bar.
    await page.click(".help-button");
    await page.waitForSelector("[data-shortcut-list]");
    expect(await page.textContent("[data-shortcut-list] h2")).toBe("Atajos de teclado");
    expect(englishIn(await interfaceText(page))).toEqual([]);
    await page.keyboard.press("Escape");

    // The choice survives a reload, and a date is written the Spanish way.
    await page.reload();
    await waitForEditor(page);
    expect(await page.getAttribute("html", "lang")).toBe("es");
    expect(await page.textContent(".app-bar")).toContain("Cerrar sesión");
    await page.goto(`${suite.server.url}/`);
    await page.waitForSelector('main[data-page="home"] table.documents');
    expect(await page.textContent(".meeting-header")).toMatch(/ de (enero|febrero|marzo|abril|mayo|junio|julio|agosto|septiembre|octubre|noviembre|diciembre) de \d{4}|^[^0-9]*$/);
  });
});

describe("the reasons the server gives, in Spanish", () => {
  it("the chair's lifecycle panel lists what keeps the declaration from agreement in Spanish, worded by each reason's code", async () => {
    expect((await (await suite.server.login("chair")).put("/api/me/preferences", { language: "es" })).status).toBe(200);
    const page = await suite.open("chair", suite.server.demo.documents.declaration!);
    await page.waitForFunction(() => document.documentElement.lang === "es");
    await page.click("aside #tab-lifecycle");
    await page.waitForSelector('[data-transition="agreed_ad_ref"] .pn-reasons li');
    const reasons = await page.$$eval('[data-transition="agreed_ad_ref"] .pn-reasons li', (items) => items.map((li) => (li as HTMLElement).innerText));
    expect(reasons.length).toBeGreaterThan(0);
    // The demo declaration has open brackets, tabled amendments and white paragraphs: each said in Spanish.
    const english = reasons.filter((r) => /\b(tabled on|is open in|still white|not agreed|is outdated|not translated|is stale|more open brackets)\b/.test(r) || englishIn(r).length > 0);
    if (english.length) await screenshot(page, "spanish-reasons");
    expect(english).toEqual([]);
    expect(reasons.some((r) => /^(el corchete .* está abierto en|enmienda A\d+ presentada sobre|.* sigue en blanco \(no acordado\))/.test(r))).toBe(true);
  });

  it("a status the chair may not give yet is refused in Spanish: what was blocked and why, each worded by its code", async () => {
    const chair = await suite.server.login("chair");
    expect((await chair.put("/api/me/preferences", { language: "es" })).status).toBe(200);
    const declaration = suite.server.demo.documents.declaration!;
    // A paragraph an open bracket keeps from being agreed, as the lifecycle names it.
    const offered = (await chair.get(`/api/documents/${declaration}/transitions`)).body.transitions as Array<{ to: string; blockerCodes?: Array<{ code: string; params?: Record<string, string> } | null> }>;
    const open = offered.find((o) => o.to === "agreed_ad_ref")!.blockerCodes!.find((c) => c?.code === "bracket.open_in")!;
    const ref = open.params!.paragraph!;
    const statuses = (await chair.get(`/api/documents/${declaration}/paragraph-statuses`)).body as Array<{ paragraphId: string; ref: string | null; status: string }>;
    const paragraph = statuses.find((s) => s.ref === ref)!;
    const [status, words] = paragraph.status === "yellow" ? ["green", "acordado en el plenario"] : ["yellow", "acordado en el grupo"];

    const page = await suite.open("chair", declaration);
    await page.waitForFunction(() => document.documentElement.lang === "es");
    await page.click("aside #tab-status");
    const form = 'aside [data-panel="status"] form';
    await page.waitForSelector(`${form} select`);
    await page.selectOption(`${form} select >> nth=0`, paragraph.paragraphId);
    await page.selectOption(`${form} select >> nth=1`, status);
    await page.click(`${form} button[type="submit"]`);
    const problem = await (await page.waitForSelector('aside [data-panel="status"] .pn-problem'))!.innerText();
    if (/cannot|is open in/.test(problem)) await screenshot(page, "spanish-blocked-status");
    expect(problem.startsWith(`${ref} no puede pasar a ${words}`)).toBe(true);
    expect(problem).toMatch(/el corchete .* está abierto en/);
    expect(problem).not.toMatch(/cannot turn|is open in/);
  });
});

describe("the language follows the person", () => {
  it("a language chosen in one browser is the interface's at sign-in in another", async () => {
    // Chosen elsewhere: another browser's picker sends the same call.
    expect((await (await suite.server.login("col.delegate")).put("/api/me/preferences", { language: "es" })).status).toBe(200);
    const elsewhere = await suite.signIn("col.delegate");
    try {
      await elsewhere.page.waitForFunction(() => document.documentElement.lang === "es");
      await elsewhere.page.waitForSelector('main[data-page="home"] table.documents');
      expect(await elsewhere.page.textContent(".app-bar")).toContain("Cerrar sesión");
    } finally {
      await elsewhere.close();
    }
  }, 120_000);

  it("a language chosen on the sign-in page is remembered with the person", async () => {
    const { context, page } = await newPage(suite.browser);
    try {
      await page.goto(`${suite.server.url}/login`);
      await Promise.all([page.waitForEvent("load"), page.selectOption("select.language-picker", "es")]);
      await page.fill("#username", "bra.delegate");
      await page.fill("#password", "accord-demo");
      await page.click('form[name="login"] button[type="submit"]');
      await page.waitForSelector('main[data-page="home"]');
      const api = await suite.server.login("bra.delegate");
      await until(async () => (await api.get("/api/me/preferences")).body.language === "es", 10_000, "the choice remembered on the server");
    } finally {
      await context.close();
    }
  }, 120_000);
});
