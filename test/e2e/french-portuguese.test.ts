/**
 * French and Portuguese in Chromium: a browser that speaks French opens the sign-in page in
 * French, the picker offers every language named in itself, and a delegate who chooses
 * Français, then Português, in the app bar reads the meeting home, its dates and the
 * document page in each, the choice kept with them on the server.
 */
import { describe, expect, it } from "vitest";
import { browserSuite, newPage, screenshot, until, waitForEditor } from "./browser.js";

const suite = browserSuite();

describe("the interface in French and Portuguese", () => {
  it("a browser that speaks French opens the sign-in page in French; the picker offers the four languages, each named in itself", async () => {
    const { context, page } = await newPage(suite.browser, { locale: "fr-FR" });
    try {
      await page.goto(`${suite.server.url}/login`);
      await page.waitForSelector('form[name="login"]');
      expect(await page.getAttribute("html", "lang")).toBe("fr");
      expect(await page.textContent('form[name="login"] button[type="submit"]')).toBe("Se connecter");
      expect(await page.$$eval("select.language-picker option", (options) => options.map((o) => `${(o as HTMLOptionElement).value} ${o.textContent}`))).toEqual([
        "en English",
        "es Español",
        "fr Français",
        "pt Português",
      ]);
    } finally {
      await context.close();
    }
  });

  it("a delegate chooses Français, then Português: the home, its dates and the document page speak each, and the server keeps the choice", async () => {
    const { page } = await suite.signIn("arg.delegate");
    const api = await suite.server.login("arg.delegate");
    expect(await page.getAttribute("html", "lang")).toBe("en");

    await Promise.all([page.waitForEvent("load"), page.selectOption(".app-bar select.language-picker", "fr")]);
    await page.waitForSelector('main[data-page="home"] table.documents');
    expect(await page.getAttribute("html", "lang")).toBe("fr");
    expect(await page.textContent(".app-bar")).toContain("Se déconnecter");
    expect(await page.textContent("table.documents thead")).toContain("Crochets ouverts");
    // The meeting's days, if it names them, in French ("10–12 mai 2027").
    expect(await page.textContent(".meeting-header .muted")).toMatch(/\d (janvier|février|mars|avril|mai|juin|juillet|août|septembre|octobre|novembre|décembre) \d{4}|^[^0-9]*$/);
    await until(async () => (await api.get("/api/me/preferences")).body.language === "fr", 10_000, "French remembered on the server");
    await screenshot(page, "french-home");
    await page.click("a[data-document-id]");
    await waitForEditor(page);
    expect(await page.textContent(".document-meta")).toMatch(/En cours de négociation|Projet/);

    await Promise.all([page.waitForEvent("load"), page.selectOption(".app-bar select.language-picker", "pt")]);
    await waitForEditor(page);
    expect(await page.getAttribute("html", "lang")).toBe("pt");
    expect(await page.textContent(".app-bar")).toContain("Sair");
    expect(await page.textContent(".document-meta")).toMatch(/Em negociação|Projeto/);
    await until(async () => (await api.get("/api/me/preferences")).body.language === "pt", 10_000, "Portuguese remembered on the server");
    await page.goto(`${suite.server.url}/`);
    await page.waitForSelector('main[data-page="home"] table.documents');
    expect(await page.textContent("table.documents thead")).toContain("Colchetes abertos");
    expect(await page.textContent(".meeting-header .muted")).toMatch(/\d de (janeiro|fevereiro|março|abril|maio|junho|julho|agosto|setembro|outubro|novembro|dezembro) de \d{4}|^[^0-9]*$/);
    await screenshot(page, "portuguese-home");
  }, 180_000);
});
