/**
 * People who did not build it walk the demo in Chromium, in Spanish: every role opens the
 * login page, its meeting home and the declaration with each of its panels (the translator
 * also the side-by-side page, a delegate its own amendments and brackets, the secretariat
 * the members page), and the browser reports no console error or warning, no uncaught
 * error and no refused (4xx) or failed (5xx) request. Then the chair and the translator
 * clean the demo to adoption the way a person does, by clicks, and the clicks are counted:
 * the walk that once took some hundred clicks (33 status changes of three steps each
 * alone) must stay within a budget.
 */
import { describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import { browserSuite, newPage, screenshot, waitForEditor } from "./browser.js";

const suite = browserSuite();

/** A person at their own browser, with everything the browser reported as going wrong. */
interface Walker {
  page: Page;
  problems: string[];
  close(): Promise<void>;
}

/** Opens the login page in a fresh browser, signs in as `username` and chooses Español (unless already theirs). */
async function walker(username: string): Promise<Walker> {
  const { context, page } = await newPage(suite.browser);
  const problems: string[] = [];
  page.on("console", (m) => {
    if (m.type() === "error" || m.type() === "warning") problems.push(`console.${m.type()}: ${m.text()} (${page.url()})`);
  });
  page.on("pageerror", (e) => problems.push(`uncaught: ${e.message} (${page.url()})`));
  page.on("response", (r) => {
    if (r.status() >= 400) problems.push(`HTTP ${r.status()} ${r.request().method()} ${new URL(r.url()).pathname}`);
  });
  await page.goto(`${suite.server.url}/`);
  await page.waitForSelector('form[name="login"]');
  await page.fill("#username", username);
  await page.fill("#password", "accord-demo");
  await page.click('form[name="login"] button[type="submit"]');
  await page.waitForSelector('main[data-page="home"]');
  // The person's language is remembered with them: someone who chose Español before signs in to it.
  if ((await page.getAttribute("html", "lang")) !== "es")
    await Promise.all([page.waitForEvent("load"), page.selectOption(".app-bar select.language-picker", "es")]);
  await page.waitForSelector('html[lang="es"] main[data-page="home"] a[data-document-id]');
  return { page, problems, close: () => context.close() };
}

/** Waits until no panel or page still says it is loading. */
async function loaded(page: Page): Promise<void> {
  await page.waitForFunction(() => !/Cargando/.test(document.querySelector("main")?.textContent ?? ""));
}

/** The declaration's id, from the meeting home. */
async function declarationOf(page: Page): Promise<string> {
  const id = await page.getAttribute('tr:has-text("RTP-II/doc.5/09") a[data-document-id]', "data-document-id");
  if (!id) throw new Error("no declaration on the meeting home");
  return id;
}

/** Opens the declaration from the meeting home and each panel tab in turn. */
async function walkDeclaration(page: Page): Promise<void> {
  await page.click('tr:has-text("RTP-II/doc.5/09") a[data-document-id]');
  await waitForEditor(page);
  for (const tab of await page.$$eval('aside [role="tab"]', (els) => els.map((el) => el.id))) {
    await page.click(`aside [role="tab"]#${tab}`);
    await page.waitForSelector(`aside [data-panel="${tab.replace(/^tab-/, "")}"] *`);
    await loaded(page);
  }
}

describe("every role walks the demo in Spanish", () => {
  it("no console error or warning, no uncaught error, no refused or failed request on any page a role opens", async () => {
    const roles = ["secretariat", "chair", "arg.delegate", "arg.minister", "observer", "rapporteur", "translator.es", "wg1.chair"];
    const found: Record<string, string[]> = {};
    for (const username of roles) {
      const w = await walker(username);
      await loaded(w.page);
      await walkDeclaration(w.page);
      if (username === "translator.es") {
        await w.page.click('a[href$="/side-by-side"]');
        await w.page.waitForSelector('main[data-page="side-by-side"][data-editor="ready"]');
      }
      if (username === "arg.delegate") {
        await w.page.goBack();
        await w.page.click('main[data-page="home"] a[href$="/mine"]');
        await w.page.waitForSelector('main[data-page="mine"] section');
        // An amendment's state is written in the interface language.
        expect(await w.page.textContent('main[data-page="mine"]')).not.toMatch(/\b(tabled|accepted|rejected|withdrawn)\b/);
      }
      if (username === "secretariat") {
        await w.page.goBack();
        await w.page.click('main[data-page="home"] a[data-section="members"], main[data-page="home"] a[href$="/members"]');
        await w.page.waitForSelector('main[data-page="meeting-members"] table');
      }
      found[username] = w.problems;
      await w.close();
    }
    expect(found).toEqual(Object.fromEntries(roles.map((r) => [r, []])));
  }, 480_000);

  it("the chair and the translator clean the demo declaration to adoption in at most 30 clicks, with nothing refused on the way", async () => {
    let clicks = 0;
    const click = async (page: Page, selector: string, options?: { modifiers?: Array<"Shift"> }) => {
      clicks++;
      await page.click(selector, options);
    };
    const chair = await walker("chair");
    const { page } = chair;
    const documentId = await declarationOf(page);
    await click(page, 'tr:has-text("RTP-II/doc.5/09") a[data-document-id]');
    await waitForEditor(page);

    // The two tabled amendments: Aceptar on each card (the Amendments panel opens first).
    await page.waitForSelector("[data-amendment-id]");
    for (let left = 2; left > 0; left--) {
      await click(page, '[data-amendment-id].pn-state-tabled button:text-is("Aceptar")');
      await page.waitForFunction((n) => document.querySelectorAll("[data-amendment-id].pn-state-tabled").length === n - 1, left);
    }

    // The four open brackets: a reason where delegations still hold one, then keep (or choose the first option).
    await click(page, "aside #tab-brackets");
    await page.waitForSelector("[data-bracket-id] .pn-resolve");
    for (let round = 0; round < 6; round++) {
      const card = await page.$("[data-bracket-id]:has(.pn-resolve)");
      if (!card) break;
      const id = await card.getAttribute("data-bracket-id");
      const reason = await card.$(".pn-resolve input");
      if (reason) {
        clicks++;
        await reason.fill("Consenso en la sala");
      }
      await click(page, `[data-bracket-id="${id}"] .pn-resolve button >> nth=0`);
      await page.waitForFunction((bracket) => !document.querySelector(`[data-bracket-id="${bracket}"] .pn-resolve`), id);
    }
    expect(await page.$("[data-bracket-id] .pn-resolve")).toBeNull();

    // Every paragraph green at once: the first band, Shift+click the last, "agreed in plenary".
    const bands = await page.$$(".ProseMirror .status-band");
    clicks++;
    await bands[0]!.click();
    await page.waitForSelector("[data-status-menu]");
    clicks++;
    await bands.at(-1)!.click({ modifiers: ["Shift"] });
    await page.waitForSelector(`[data-status-menu] .status-menu-title:has-text("${bands.length}")`);
    await click(page, '[data-status-menu] [data-set-status="green"]');
    await page.waitForFunction(() => document.querySelectorAll(".ProseMirror .status-band.status-green").length === document.querySelectorAll(".ProseMirror .status-band").length);

    // Agreed ad referendum, then referred to the plenary.
    await click(page, "aside #tab-lifecycle");
    await click(page, '[data-transition="agreed_ad_ref"] button:not([disabled])');
    await click(page, '[data-transition="referred"] button:not([disabled])');
    await page.waitForSelector('[data-transition="adopted"] .pn-reasons');

    // The translator brings the Spanish version up to date, side by side.
    const translator = await walker("translator.es");
    await click(translator.page, 'a[href$="/side-by-side"]');
    await translator.page.waitForSelector('main[data-page="side-by-side"][data-editor="ready"] [data-action="mark-done"]');
    while (await translator.page.$('[data-action="mark-done"]')) {
      const before = (await translator.page.$$('[data-action="mark-done"]')).length;
      await click(translator.page, '[data-action="mark-done"]');
      await translator.page.waitForFunction((n) => document.querySelectorAll('[data-action="mark-done"]').length < n, before);
    }

    // The chair adopts, confirming.
    await page.waitForSelector('[data-transition="adopted"] button:not([disabled])');
    await click(page, '[data-transition="adopted"] button:not([disabled])');
    await click(page, '[data-transition="adopted"] .pn-confirm button.pn-primary');
    await page.waitForFunction(
      async (id) => ((await (await fetch(`/api/documents/${id}`)).json()) as { state: string }).state === "adopted",
      documentId,
    );
    await screenshot(page, "walk-adopted");

    expect({ chair: chair.problems, translator: translator.problems }).toEqual({ chair: [], translator: [] });
    expect(clicks).toBeLessThanOrEqual(30);
    console.log(`the demo declaration cleaned to adoption in ${clicks} clicks`);
    await translator.close();
    await chair.close();
  }, 300_000);
});
