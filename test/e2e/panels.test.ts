/**
 * The panels in real Chromium, as the people in the room use them: a delegate tables an
 * amendment and the chair accepts it (both pages show the new text and its numbering); a
 * bracket is opened on a selection, an option added and the chair resolves it; the chair
 * takes a clean declaration to adoption and a minister signs; an observer is offered no
 * editing or deciding button and delivers a recommendation. Screenshots of each panel go
 * to test/artifacts/ for a person to look at.
 */
import { describe, expect, test } from "vitest";
import type { Page } from "playwright-core";
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import type { ApiClient } from "../helpers/api.js";
import { browserSuite, paragraphSelector, paragraphText, screenshot, selectWords, typeInParagraph, until, waitForEditor } from "./browser.js";

interface Paragraph {
  id: string;
  kind: string;
  number: string | null;
  ref: string | null;
  text: string;
  brackets: Array<{ id: string; from: number; to: number }>;
}

const suite = browserSuite();

/** Runs `scripts/verify-signatures.ts` on an export, as `npm run verify-signatures` does, without the server. */
async function verifyOffline(exported: unknown): Promise<{ code: number; out: string }> {
  const dir = mkdtempSync(join(tmpdir(), "accord-export-"));
  const file = join(dir, "signatures.json");
  writeFileSync(file, JSON.stringify(exported));
  try {
    const r = await promisify(execFile)(process.execPath, ["--import", "tsx", "scripts/verify-signatures.ts", file]);
    return { code: 0, out: r.stdout };
  } catch (error) {
    const e = error as { code: number; stdout: string };
    return { code: e.code, out: e.stdout };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Shows a panel (clicking its tab when the page shows panels as tabs) and returns its selector. */
async function openPanel(page: Page, panelId: string): Promise<string> {
  const selector = `aside [data-panel="${panelId}"]`;
  const tab = page.locator(`aside [role="tab"]#tab-${panelId}`);
  await tab.click();
  await page.waitForSelector(selector, { state: "visible" });
  return selector;
}

/** The document's paragraphs as the server has them now. */
async function paragraphs(api: ApiClient, documentId: string): Promise<Paragraph[]> {
  const res = await api.get<{ canonical: { paragraphs: Paragraph[] } }>(`/api/documents/${documentId}/content`);
  expect(res.status).toBe(200);
  return res.body.canonical.paragraphs;
}

// Each scenario drives several browsers; on two shared cores under load one can take a minute.
describe("panels in the browser", { timeout: 120_000 }, () => {
  test("a delegate tables an amendment, the chair accepts it, and both pages show the new text and numbering", async () => {
    const documentId = suite.server.demo.documents.declaration!;
    const chairApi = await suite.server.login("chair");
    const before = await paragraphs(chairApi, documentId);
    const op1 = before.find((p) => p.ref === "OP1")!;
    const op2 = before.find((p) => p.ref === "OP2")!;
    const newText = "To recognize the essential contribution of civil society to the prevention of trafficking in persons.";

    const delegate = await suite.open("arg.delegate", documentId);
    const amendments = await openPanel(delegate, "amendments");
    // Discoverable: the first thing a delegate sees in the panel.
    const propose = delegate.locator(`${amendments} button`, { hasText: "Propose amendment" });
    await expect(propose.isVisible()).resolves.toBe(true);
    await propose.click();
    await delegate.selectOption(`${amendments} form[aria-label="Propose an amendment"] select >> nth=0`, op1.id);
    await delegate.selectOption(`${amendments} form[aria-label="Propose an amendment"] select >> nth=1`, "insert_after");
    await delegate.fill(`${amendments} form[aria-label="Propose an amendment"] textarea >> nth=0`, newText);
    await delegate.fill(`${amendments} form[aria-label="Propose an amendment"] textarea >> nth=1`, "Civil society is absent from the operative part.");
    await delegate.click(`${amendments} form[aria-label="Propose an amendment"] button[type="submit"]`);
    // The demo meeting has amendments of its own; ours is the one with our words, numbered on tabling.
    const ours = `.pn-amendment.pn-state-tabled:has-text("essential contribution of civil society")`;
    await delegate.waitForSelector(`${amendments} ${ours}`);
    await expect(delegate.locator(`${amendments} ${ours} .pn-amendment-number`).textContent()).resolves.toMatch(/^A\d+ · OP1$/);
    await expect(delegate.locator(`${amendments} ${ours} ins`).first().textContent()).resolves.toContain("essential contribution");
    await delegate.locator(`${amendments} ${ours}`).scrollIntoViewIfNeeded();
    await screenshot(delegate, "panel-amendments-delegate");
    // The delegate is offered no decision.
    expect(await delegate.locator(`${amendments} button`, { hasText: /^Accept$/ }).count()).toBe(0);

    const chair = await suite.open("chair", documentId);
    const chairPanel = await openPanel(chair, "amendments");
    await chair.waitForSelector(`${chairPanel} ${ours}`);
    await chair.locator(`${chairPanel} ${ours}`).scrollIntoViewIfNeeded();
    await screenshot(chair, "panel-amendments-chair");
    await chair.click(`${chairPanel} ${ours} button:text-is("Accept")`);
    await chair.waitForSelector(`${chairPanel} .pn-amendment.pn-state-accepted:has-text("essential contribution of civil society")`);

    // The server applied it: the declaration is under negotiation, so the new paragraph
    // after OP1 is OP1 bis and OP2 keeps its number.
    let after: Paragraph[] = [];
    await until(async () => {
      after = await paragraphs(chairApi, documentId);
      return after.some((p) => p.text === newText);
    }, 10_000, "the accepted amendment in the text");
    const inserted = after.find((p) => p.text === newText)!;
    expect(inserted.ref).toBe("OP1 bis");
    expect(after.find((p) => p.id === op2.id)!.ref).toBe("OP2");

    // Both pages show the new paragraph with its number, and OP2 unchanged.
    for (const page of [delegate, chair]) {
      await page.waitForSelector(paragraphSelector(inserted.id));
      expect(await paragraphText(page, inserted.id)).toBe(newText);
      await until(async () => (await page.getAttribute(paragraphSelector(inserted.id), "data-number")) === "1 bis.", 5000, "number 1 bis. on the new paragraph");
      await until(async () => (await page.getAttribute(paragraphSelector(op2.id), "data-number")) === "2.", 5000, "number 2. on OP2");
      // The delegate's list follows live (amendment.* events), without a reload.
      await page.waitForSelector(`aside [data-panel="amendments"] .pn-amendment.pn-state-accepted:has-text("essential contribution of civil society")`);
    }
    await screenshot(delegate, "panel-amendments-accepted");
  });

  test("a bracket is opened on a selection, an option added, and the chair resolves it", async () => {
    const documentId = suite.server.demo.documents.declaration!;
    const chairApi = await suite.server.login("chair");
    const target = (await paragraphs(chairApi, documentId)).find((p) => p.text.startsWith("That member states shall adopt national strategies"))!;
    expect(target).toBeTruthy();

    const delegate = await suite.open("bra.delegate", documentId);
    const register = await openPanel(delegate, "brackets");
    await selectWords(delegate, target.id, "shall adopt");
    await delegate.waitForSelector(`${register} button:text-is("Bracket the selection"):not([disabled])`);
    await delegate.click(`${register} button:text-is("Bracket the selection")`);
    const item = `${register} .pn-bracket`;
    await delegate.waitForSelector(`${item}:has-text("shall adopt")`);
    const bracket = delegate.locator(`${item}:has-text("shall adopt")`).first();
    await expect(bracket.textContent()).resolves.toContain("BRA");

    await bracket.locator('button:text-is("Add option…")').click();
    await bracket.locator("input").fill("should adopt");
    await bracket.locator('button[type="submit"]').click();
    await delegate.waitForSelector(`${item}:has-text("should adopt")`);
    await screenshot(delegate, "panel-register-options");

    // The compilation text draws both options in brackets with their holders; the clean text leaves them out.
    await delegate.click(`${register} [role="tab"]:text-is("Compilation text")`);
    const compilation = (await delegate.locator(`${register} article[aria-label="Compilation text"]`).textContent()) ?? "";
    expect(compilation).toContain("[shall adopt]BRA");
    expect(compilation).toContain("[should adopt]");
    await delegate.click(`${register} [role="tab"]:text-is("Clean text")`);
    const clean = (await delegate.locator(`${register} article[aria-label="Clean text"]`).textContent()) ?? "";
    expect(clean).toContain("That member states national strategies");
    expect(clean).not.toContain("shall adopt");
    await screenshot(delegate, "panel-register-clean");
    await delegate.click(`${register} [role="tab"]:text-is("Brackets")`);

    let register1: { brackets: Array<{ id: string; paragraphId: string; group: string | null; text: string; state: string; holders: string[] }> } = { brackets: [] };
    await until(async () => {
      register1 = (await chairApi.get(`/api/documents/${documentId}/brackets`)).body;
      return register1.brackets.filter((b) => b.paragraphId === target.id && b.state === "open").length === 2;
    }, 10_000, "two options in the register");
    const options = register1.brackets.filter((b) => b.paragraphId === target.id && b.state === "open");
    expect(new Set(options.map((b) => b.group)).size).toBe(1);

    // The chair chooses "should adopt" over BRA's remaining hold, giving the reason.
    const chair = await suite.open("chair", documentId);
    // Paragraph status has its own panel. Refused by the server while the paragraph has open
    // brackets: its sentence and every reason are shown.
    const chairStatus = await openPanel(chair, "status");
    const statusForm = `${chairStatus} form[aria-label="Paragraph status"]`;
    await chair.selectOption(`${statusForm} select >> nth=0`, target.id);
    await chair.selectOption(`${statusForm} select >> nth=1`, "yellow");
    await chair.click(`${statusForm} button[type="submit"]`);
    const refusal = `${chairStatus} .pn-tools .pn-problem[role="alert"]`;
    await chair.waitForSelector(refusal);
    await expect(chair.locator(`${refusal} p`).textContent()).resolves.toContain("cannot turn yellow");
    expect(await chair.locator(`${refusal} li`).count()).toBeGreaterThanOrEqual(2);
    await expect(chair.locator(`${refusal} ul`).textContent()).resolves.toContain("shall adopt");
    await screenshot(chair, "panel-status-refused");
    const chairRegister = await openPanel(chair, "brackets");
    expect(await chair.locator(`${chairRegister} form[aria-label="Paragraph status"]`).count()).toBe(0);

    const chosen = chair.locator(`${chairRegister} .pn-bracket:has-text("should adopt")`).first();
    await chosen.waitFor();
    // BRA still holds the other option, so the chair must give a reason to override it.
    await chosen.locator('input[id$="-reason"]').fill("Agreed in informal consultations");
    await chosen.locator('button:text-is("Choose this option")').click();
    await until(async () => {
      const text = (await paragraphs(chairApi, documentId)).find((p) => p.id === target.id)!;
      return text.brackets.length === 0 && text.text.includes("should adopt") && !text.text.includes("shall adopt");
    }, 10_000, "the chosen option in the text, brackets gone");
    await chair.waitForSelector(`${chairRegister} .pn-bracket:has-text("should adopt")`, { state: "detached" });
    await until(async () => (await paragraphText(delegate, target.id)).includes("should adopt national strategies"), 5000, "the delegate's page shows the chosen option");
    await screenshot(chair, "panel-register-resolved");

    // With its brackets gone, the chair marks the paragraph agreed in the group (yellow).
    await openPanel(chair, "status");
    await chair.selectOption(`${statusForm} select >> nth=0`, target.id);
    await chair.selectOption(`${statusForm} select >> nth=1`, "yellow");
    await chair.click(`${statusForm} button[type="submit"]`);
    await until(async () => {
      const list = (await chairApi.get(`/api/documents/${documentId}/paragraph-statuses`)).body as Array<{ paragraphId: string; status: string }>;
      return list.find((p) => p.paragraphId === target.id)?.status === "yellow";
    }, 10_000, "the paragraph yellow");
    await chair.waitForSelector(`${statusForm} .pn-hint:has-text("Now: Yellow")`);
    // The panel lists it among the agreed paragraphs, with who agreed it.
    await chair.waitForSelector(`${chairStatus} [data-agreed-paragraphs] li[data-paragraph-id="${target.id}"][data-status="yellow"]:has-text("by chair")`);
  });

  test("the chair takes the clean declaration to adoption and a minister signs", async () => {
    const documentId = suite.server.demo.documents.declaration!;
    const chairApi = await suite.server.login("chair");
    // While the text is not clean, "Agree ad referendum" is offered disabled, with every reason.
    const chair = await suite.open("chair", documentId);
    const lifecycle = await openPanel(chair, "lifecycle");
    const agree = `${lifecycle} [data-transition="agreed_ad_ref"]`;
    await chair.waitForSelector(`${agree} button[disabled]`);
    expect(await chair.locator(`${agree} .pn-reasons li`).count()).toBeGreaterThan(0);
    await expect(chair.locator(`${agree} .pn-reasons`).textContent()).resolves.toMatch(/bracket|white|amendment/);
    await screenshot(chair, "panel-lifecycle-blocked");

    // Setup through the API: make the declaration clean (no open bracket, no tabled
    // amendment, every paragraph at least yellow).
    // One bracket at a time: choosing an option closes the rest of its group.
    for (;;) {
      const reg = (await chairApi.get(`/api/documents/${documentId}/brackets`)).body as { brackets: Array<{ id: string; state: string; group: string | null }> };
      const open = reg.brackets.find((x) => x.state === "open");
      if (!open) break;
      const res = await chairApi.post(`/api/brackets/${open.id}/resolution`, { action: open.group ? "choose" : "keep", reason: "Agreed in plenary consultations" });
      expect(res.status, JSON.stringify(res.body)).toBeLessThan(300);
    }
    for (const state of ["tabled", "stale"]) {
      const pending = (await chairApi.get(`/api/documents/${documentId}/amendments?state=${state}`)).body as Array<{ id: string }>;
      for (const a of pending) {
        const res = await chairApi.post(`/api/amendments/${a.id}/decision`, { decision: "rejected", reason: "Not taken up" });
        expect(res.status, JSON.stringify(res.body)).toBeLessThan(300);
      }
    }
    for (const p of await paragraphs(chairApi, documentId)) {
      if (p.kind !== "pp" && p.kind !== "op") continue;
      const res = await chairApi.put(`/api/documents/${documentId}/paragraphs/${p.id}/status`, { status: "yellow" });
      expect(res.status, JSON.stringify(res.body)).toBeLessThan(300);
    }

    // The panel follows the bracket, amendment and status events: the button comes alive.
    await chair.waitForSelector(`${agree} button:not([disabled])`);
    expect(await chair.locator(`${agree} .pn-reasons`).count()).toBe(0);
    await screenshot(chair, "panel-lifecycle-negotiation");
    // Adoption also waits for every authentic text: the demo's Spanish version has
    // paragraphs outdated by the amendments accepted since it was translated. The panel
    // says so beside the disabled button (as the transitions route does); the translator
    // then marks each paragraph done, as a secretariat would have it before adopting.
    const makeSpanishCurrent = async () => {
      const adopt = `${lifecycle} [data-transition="adopted"]`;
      await chair.waitForSelector(`${adopt} button[disabled]`);
      await chair.waitForSelector(`${adopt} .pn-reasons li`);
      const shown = await chair.locator(`${adopt} .pn-reasons li`).allTextContents();
      expect(shown.length).toBeGreaterThan(0);
      for (const reason of shown) expect(reason).toMatch(/^es: .+ is (outdated|not translated)$|more paragraph/);
      const offered = (await chairApi.get(`/api/documents/${documentId}/transitions`)).body.transitions as Array<{ to: string; blockers: string[] }>;
      expect(offered.find((o) => o.to === "adopted")?.blockers).toEqual(shown);
      const translator = await suite.server.login("translator.es");
      const languages = (await translator.get(`/api/documents/${documentId}/languages`)).body as Array<{ language: string; documentId: string }>;
      const es = languages.find((l) => l.language === "es")!.documentId;
      const statuses = (await translator.get(`/api/documents/${es}/translation-status`)).body as Array<{ paragraphId: string; status: string }>;
      const pending = statuses.filter((p) => p.status !== "current");
      expect(pending.length).toBeGreaterThan(0);
      let page: Page | null = null;
      for (const p of pending) {
        const done = await translator.post(`/api/documents/${es}/paragraphs/${p.paragraphId}/translated`);
        if (done.status === 409 && p.status === "missing") {
          // A paragraph added to the original since (an earlier test's accepted
          // amendment) arrives empty: the translator writes it in the Spanish version first.
          page ??= await suite.open("translator.es", es);
          await typeInParagraph(page, p.paragraphId, "Texto traducido por la secretaría.");
          await until(async () => (await translator.post(`/api/documents/${es}/paragraphs/${p.paragraphId}/translated`)).status === 200, 10_000, `${p.paragraphId} translated`);
          continue;
        }
        expect(done.status, JSON.stringify(done.body)).toBe(200);
      }
      // The panel follows the translations: the reasons go and Adopt comes alive.
      await chair.waitForSelector(`${adopt} button:not([disabled])`);
      expect(await chair.locator(`${adopt} .pn-reasons`).count()).toBe(0);
    };
    for (const [to, label] of [
      ["agreed_ad_ref", "Agree ad referendum"],
      ["referred", "Refer to the plenary"],
      ["adopted", "Adopt"],
    ] as const) {
      const button = chair.locator(`${lifecycle} [data-transition="${to}"] button:text-is("${to === "adopted" ? `${label}…` : label}")`);
      await button.waitFor();
      if (to === "adopted") await makeSpanishCurrent();
      await button.click();
      if (to === "adopted") {
        // Adoption is asked twice: the first click only explains what it does.
        expect(await chair.locator(`${lifecycle} [data-transition="adopted"] .pn-confirm`).textContent()).toContain("freezes the text");
        await chair.locator(`${lifecycle} [data-transition="adopted"] button:text-is("Confirm adoption")`).click();
      }
      await until(async () => (await chairApi.get(`/api/documents/${documentId}`)).body.state === to, 10_000, `document ${to}`);
    }
    await chair.waitForSelector(`${lifecycle} .pn-signoff`);
    // Adopted text is frozen: the page knows it can no longer write.
    await chair.waitForSelector('main[data-page="document"][data-can-write="false"]');

    const minister = await suite.open("arg.minister", documentId);
    const signoff = await openPanel(minister, "lifecycle");
    const adoptedHash = (await chairApi.get(`/api/documents/${documentId}/verification`)).body.adoptedHash as string;
    expect(adoptedHash).toMatch(/^[0-9a-f]{64}$/);
    // The minister makes a key in this browser; the secretariat confirms it by its fingerprint; then the minister signs with it.
    await minister.click(`${signoff} .pn-key[data-key-state="none"] button:text-is("Create my signing key")`);
    const fingerprint = await minister.locator(`${signoff} .pn-key[data-key-state="pending"] code[data-fingerprint]`).getAttribute("data-fingerprint");
    expect(fingerprint).toMatch(/^[0-9a-f]{64}$/);
    expect(await minister.locator(`${signoff} form[aria-label="Sign the adopted text"]`).count()).toBe(0);
    const secretariat = await suite.open("secretariat", documentId);
    const keys = await openPanel(secretariat, "lifecycle");
    const pendingKey = secretariat.locator(`${keys} .pn-keys li[data-username="arg.minister"]`);
    expect(await pendingKey.locator("code").textContent()).toBe(fingerprint!.match(/.{4}/g)!.join(" "));
    await pendingKey.locator('button:text-is("Confirm key")').click();
    await pendingKey.waitFor({ state: "detached" });
    await minister.click(`${signoff} .pn-key button:text-is("Check again")`);
    await minister.waitForSelector(`${signoff} .pn-key[data-key-state="confirmed"]`);
    const form = `${signoff} form[aria-label="Sign the adopted text"]`;
    await minister.waitForSelector(`${form} .pn-sign-words`);
    const words = await minister.locator(`${form} .pn-sign-words`).textContent();
    expect(words).toContain("You sign for ARG");
    expect(words).toMatch(/the text adopted on .+ whose fingerprint is/);
    expect(words).toContain(adoptedHash.slice(0, 4));
    await expect(minister.locator(`${form} code`).textContent()).resolves.toBe(adoptedHash);
    await minister.check(`${form} input[type="checkbox"]`);
    await minister.fill(`${form} textarea`, "Argentina reads paragraph 3 in accordance with its constitutional order.");
    // A wrong password is refused with a reason, and nothing is signed.
    await minister.fill(`${form} input[type="password"]`, "not-my-password");
    await minister.click(`${form} button[type="submit"]`);
    await minister.waitForSelector(`${form} :text("wrong password")`);
    await minister.fill(`${form} input[type="password"]`, "accord-demo");
    await minister.click(`${form} button[type="submit"]`);
    await minister.waitForSelector(`${signoff} .pn-signatures td:text-is("ARG")`);
    await minister.waitForSelector(`${signoff} .pn-footnotes li:has-text("constitutional order")`);
    await screenshot(minister, "panel-lifecycle-signed");

    const verification = (await chairApi.get(`/api/documents/${documentId}/verification`)).body as {
      signatures: Array<{ delegation: string; valid: boolean; hash: string; signedWithKey: boolean }>;
      authenticTexts: Array<{ language: string; adoptedHash: string; intact: boolean }>;
    };
    // The Spanish text was adopted with the original; the minister's statement names it
    // (signedWithKey checks that it covers every authentic text, each by its hash).
    expect(verification.authenticTexts.map((a) => a.language)).toEqual(["es"]);
    expect(verification.authenticTexts[0]!.intact).toBe(true);
    expect(verification.authenticTexts[0]!.adoptedHash).toMatch(/^[0-9a-f]{64}$/);
    const arg = verification.signatures.find((s) => s.delegation === "ARG");
    expect(arg?.valid).toBe(true);
    expect(arg?.signedWithKey).toBe(true);
    expect(arg?.hash).toBe(adoptedHash);

    // Anyone checks the export offline, with the public key it carries; an altered one fails.
    const exported = (await chairApi.get(`/api/documents/${documentId}/signatures/export`)).body as { signatures: Array<{ delegation: string; key: { fingerprint: string } }> };
    expect(exported.signatures[0]!.key.fingerprint).toBe(fingerprint);
    const offline = await verifyOffline(exported);
    expect(offline.code, offline.out).toBe(0);
    expect(offline.out).toMatch(/ARG +arg\.minister +verifies/);
    exported.signatures[0]!.delegation = "BRA";
    const tampered = await verifyOffline(exported);
    expect(tampered.code).toBe(1);
    expect(tampered.out).toContain("DOES NOT VERIFY");
  });

  test("an observer sees no edit or decide buttons and submits a recommendation", async () => {
    const documentId = suite.server.demo.documents.wg1!;
    const observer = await suite.open("observer", documentId);
    await observer.waitForSelector('main[data-page="document"][data-can-write="false"]');
    const amendments = await openPanel(observer, "amendments");
    expect(await observer.locator(`${amendments} button`, { hasText: /Propose amendment|Accept|Table|Withdraw|Co-sponsor/ }).count()).toBe(0);
    const register = await openPanel(observer, "brackets");
    expect(await observer.locator(`${register} button`, { hasText: /Bracket the selection|Join hold|Add option|Keep text|Delete text/ }).count()).toBe(0);
    const status = await openPanel(observer, "status");
    await observer.waitForSelector(`${status} [data-status-counts]:has-text("white")`);
    expect(await observer.locator(`${status} button`, { hasText: /Set status/ }).count()).toBe(0);
    const lifecycle = await openPanel(observer, "lifecycle");
    expect(await observer.locator(`${lifecycle} .pn-transitions button`).count()).toBe(0);
    expect(await observer.locator(`${lifecycle} button`, { hasText: /Sign|reservation/ }).count()).toBe(0);

    const recommendations = await openPanel(observer, "recommendations");
    const form = `${recommendations} form[aria-label="Submit a recommendation"]`;
    await observer.fill(`${form} textarea >> nth=0`, "Include survivors' organizations in the design of national referral mechanisms.");
    await observer.fill(`${form} textarea >> nth=1`, "Survivors know where assistance fails.");
    await observer.click(`${form} button[type="submit"]`);
    await observer.waitForSelector(`${recommendations} .pn-item:has-text("survivors' organizations")`);
    await screenshot(observer, "panel-recommendations-observer");
    expect(await observer.locator(`${recommendations} button`, { hasText: /Turn into amendment|Offer to sponsor/ }).count()).toBe(0);
    const versions = await openPanel(observer, "versions");
    expect(await observer.locator(`${versions} form[aria-label="Save a named version"]`).count()).toBe(0);

    const wgChair = await suite.server.login("wg1.chair");
    const list = (await wgChair.get(`/api/documents/${documentId}/recommendations`)).body as Array<{ text: string; paragraphId: string | null }>;
    const mine = list.find((r) => r.text.includes("survivors' organizations"));
    expect(mine).toBeTruthy();
    // The cursor starts in the title, which cannot be cited: the recommendation is on the whole document.
    expect(mine!.paragraphId).toBeNull();

    // A delegation offers to carry it; the chair turns it into an amendment in that delegation's name.
    const op1 = (await paragraphs(wgChair, documentId)).find((p) => p.ref === "OP1")!;
    const delegate = await suite.open("per.delegate", documentId);
    const delegatePanel = await openPanel(delegate, "recommendations");
    const offered = `${delegatePanel} .pn-item:has-text("survivors' organizations")`;
    await delegate.click(`${offered} button:text-is("Offer to sponsor as an amendment")`);
    await delegate.waitForSelector(`${offered} .pn-meta:has-text("willing to sponsor it: PER")`);

    const chair = await suite.open("wg1.chair", documentId);
    const chairPanel = await openPanel(chair, "recommendations");
    const item = `${chairPanel} .pn-item:has-text("survivors' organizations")`;
    const convert = `${item} form[aria-label="Turn into an amendment"]`;
    await chair.waitForSelector(convert);
    await chair.selectOption(`${convert} select >> nth=0`, "PER");
    await chair.selectOption(`${convert} select >> nth=1`, op1.id);
    await chair.selectOption(`${convert} select >> nth=2`, "insert_after");
    await chair.click(`${convert} button[type="submit"]`);
    await chair.waitForSelector(`${item} .pn-badge:text-is("converted")`);
    await screenshot(chair, "panel-recommendations-chair");
    const tabled = (await wgChair.get(`/api/documents/${documentId}/amendments?state=tabled`)).body as Array<{ sponsor: string; operation: string; paragraphId: string; content: { text?: string } }>;
    const amendment = tabled.find((a) => a.content?.text?.includes("survivors' organizations"));
    expect(amendment).toMatchObject({ sponsor: "PER", operation: "insert_after", paragraphId: op1.id });
  });

  test("co-sponsoring, a stale amendment rebased by its sponsor, and a rejection with its reason", async () => {
    const documentId = suite.server.demo.documents.wg1!;
    const chairApi = await suite.server.login("wg1.chair");
    const op2 = (await paragraphs(chairApi, documentId)).find((p) => p.ref === "OP2")!;
    // Two amendments to the same paragraph; accepting the first leaves the second stale.
    const arg = await suite.server.login("arg.delegate");
    const first = await arg.post(`/api/documents/${documentId}/amendments`, { paragraphId: op2.id, operation: "replace", content: { text: `${op2.text} at all levels` }, rationale: "Scope" });
    expect(first.status, JSON.stringify(first.body)).toBe(201);
    await arg.post(`/api/amendments/${first.body.id}/table`);

    const usa = await suite.open("usa.delegate", documentId);
    const panel = await openPanel(usa, "amendments");
    await usa.click(`${panel} button:text-is("Propose amendment")`);
    const form = `${panel} form[aria-label="Propose an amendment"]`;
    await usa.selectOption(`${form} select >> nth=0`, op2.id);
    await usa.fill(`${form} textarea >> nth=0`, `${op2.text.replace(/\.$/, "")}, including school curricula.`);
    await usa.click(`${form} button[type="submit"]`);
    const ours = `${panel} .pn-amendment:has-text("including school curricula")`;
    await usa.waitForSelector(`${ours}.pn-state-tabled`);
    // It collides with ARG's amendment to the same paragraph.
    await usa.waitForSelector(`${ours} .pn-hint:has-text("Overlaps")`);
    // The sponsor is offered no co-sponsoring of its own amendment, but may co-sponsor ARG's.
    expect(await usa.locator(`${ours} button:text-is("Co-sponsor")`).count()).toBe(0);

    const chl = await suite.open("chl.delegate", documentId);
    const chlPanel = await openPanel(chl, "amendments");
    await chl.click(`${chlPanel} .pn-amendment:has-text("including school curricula") button:text-is("Co-sponsor")`);
    await chl.waitForSelector(`${chlPanel} .pn-amendment:has-text("including school curricula") button:text-is("Leave co-sponsors")`);
    await usa.waitForSelector(`${ours} .pn-meta:has-text("with CHL")`);

    const accepted = await chairApi.post(`/api/amendments/${first.body.id}/decision`, { decision: "accepted" });
    expect(accepted.status, JSON.stringify(accepted.body)).toBeLessThan(300);
    await usa.waitForSelector(`${ours}.pn-state-stale`);
    await usa.locator(ours).scrollIntoViewIfNeeded();
    await screenshot(usa, "panel-amendments-stale");
    await usa.click(`${ours} button:text-is("Rebase")`);
    await usa.waitForSelector(`${ours}.pn-state-tabled`);

    const chair = await suite.open("wg1.chair", documentId);
    const chairPanel = await openPanel(chair, "amendments");
    const item = `${chairPanel} .pn-amendment:has-text("including school curricula")`;
    await chair.click(`${item} button:text-is("Reject…")`);
    // Rejecting needs a reason: the confirmation stays disabled without one.
    await chair.waitForSelector(`${item} button:text-is("Confirm rejection")[disabled]`);
    await chair.fill(`${item} input[id$="-reason"]`, "Curricula are a national competence");
    await chair.click(`${item} button:text-is("Confirm rejection")`);
    await usa.waitForSelector(`${ours}.pn-state-rejected:has-text("Curricula are a national competence")`);
    // Clicking an amendment's number brings its paragraph into view.
    const target = ((await chairApi.get(`/api/documents/${documentId}/amendments?state=rejected`)).body as Array<{ paragraphId: string; rationale: string; content: { text?: string } }>).find((a) =>
      a.content?.text?.includes("including school curricula"),
    )!;
    await usa.click(`${ours} .pn-amendment-number`);
    // (The page's flash of the paragraph is not asserted: ProseMirror redraws the paragraph
    // and drops the class; reported to the editor core.)
    await until(
      async () => {
        const box = await usa.locator(paragraphSelector(target.paragraphId)).boundingBox();
        return box !== null && box.y >= 0 && box.y + Math.min(box.height, 40) <= 800;
      },
      5000,
      "the amendment's paragraph in view",
    );
  });

  test("the chair saves a named version, compares it with the current text and opens it read-only", async () => {
    const documentId = suite.server.demo.documents.wg2!;
    const api = await suite.server.login("wg2.chair");
    const op1 = (await paragraphs(api, documentId)).find((p) => p.ref === "OP1")!;
    const chair = await suite.open("wg2.chair", documentId);
    const versions = await openPanel(chair, "versions");
    await chair.fill(`${versions} form[aria-label="Save a named version"] input`, "Before the Tuesday session");
    await chair.click(`${versions} form[aria-label="Save a named version"] button[type="submit"]`);
    await chair.waitForSelector(`${versions} td:text-is("Before the Tuesday session")`);

    await typeInParagraph(chair, op1.id, " with particular attention to indigenous communities");
    await until(async () => (await paragraphs(api, documentId)).find((p) => p.id === op1.id)!.text.includes("indigenous communities"), 10_000, "the typed words on the server");

    const form = `${versions} form[aria-label="Compare versions"]`;
    const saved = (await api.get<Array<{ id: string; label: string }>>(`/api/documents/${documentId}/versions`)).body.find((v) => v.label === "Before the Tuesday session")!;
    await chair.selectOption(`${form} select >> nth=0`, saved.id);
    await chair.selectOption(`${form} select >> nth=1`, "current");
    await chair.click(`${form} button[type="submit"]`);
    const changed = `${versions} .pn-compare li[data-change="changed"]`;
    await chair.waitForSelector(changed);
    await expect(chair.locator(`${changed} ins`).first().textContent()).resolves.toContain("indigenous communities");
    await chair.locator(changed).first().scrollIntoViewIfNeeded();
    await screenshot(chair, "panel-versions-compare");

    await chair.click(`${versions} tr:has-text("Before the Tuesday session") button:text-is("Open")`);
    const opened = `${versions} .pn-opened article.pn-official`;
    await chair.waitForSelector(opened);
    const text = (await chair.locator(opened).textContent()) ?? "";
    expect(text).toContain(op1.text);
    expect(text).not.toContain("indigenous communities");
    // Read-only: nothing in the opened version can be edited.
    expect(await chair.locator(`${versions} .pn-opened [contenteditable="true"], ${versions} .pn-opened textarea`).count()).toBe(0);
    await screenshot(chair, "panel-versions-open");
  });

  test("the rapporteur consolidates two reports, sees a source change and pulls it", async () => {
    const wg3 = suite.server.demo.documents.wg3!;
    const wg4 = suite.server.demo.documents.wg4!;
    const rapporteur = await suite.open("rapporteur", wg3);
    const panel = await openPanel(rapporteur, "consolidation");
    await rapporteur.click(`${panel} button:text-is("Consolidate reports…")`);
    const form = `${panel} form[aria-label="Consolidate reports"]`;
    await rapporteur.fill(`${form} input[id$="-title"]`, "Inter-American Work Programme (draft)");
    const wg3Symbol = (await (await suite.server.login("rapporteur")).get(`/api/documents/${wg3}`)).body.symbol as string;
    const wg4Symbol = (await (await suite.server.login("rapporteur")).get(`/api/documents/${wg4}`)).body.symbol as string;
    await rapporteur.check(`${form} label:has-text("${wg3Symbol} —") input[type="checkbox"]`);
    await rapporteur.check(`${form} label:has-text("${wg4Symbol} —") input[type="checkbox"]`);
    await screenshot(rapporteur, "panel-consolidation-form");
    await rapporteur.click(`${form} button[type="submit"]`);
    // Creating it navigates to the new work programme.
    await rapporteur.waitForURL((url) => url.pathname.startsWith("/documents/") && !url.pathname.endsWith(wg3));
    await waitForEditor(rapporteur);
    const programmeId = new URL(rapporteur.url()).pathname.split("/").pop()!;
    const provenancePanel = await openPanel(rapporteur, "consolidation");
    await rapporteur.waitForSelector(`${provenancePanel} .pn-count:has-text("consolidated paragraphs; 0 with a source change")`);
    // Paragraphs as in their source are listed on request.
    await rapporteur.check(`${provenancePanel} label:has-text("unchanged in their source") input`);
    await rapporteur.waitForSelector(`${provenancePanel} .pn-provenance[data-status="same"]`);
    await rapporteur.uncheck(`${provenancePanel} label:has-text("unchanged in their source") input`);

    // A change in working group 3's report: an amendment accepted by its chair.
    const source = (await paragraphs(await suite.server.login("wg3.chair"), wg3)).find((p) => p.ref === "OP1")!;
    const delegate = await suite.server.login("chl.delegate");
    const drafted = await delegate.post(`/api/documents/${wg3}/amendments`, {
      paragraphId: source.id,
      operation: "replace",
      content: { text: `${source.text.replace(/[.;]$/, "")}, in coordination with civil society.` },
      rationale: "Coordination",
    });
    expect(drafted.status, JSON.stringify(drafted.body)).toBe(201);
    expect((await delegate.post(`/api/amendments/${drafted.body.id}/table`)).status).toBeLessThan(300);
    const decided = await (await suite.server.login("wg3.chair")).post(`/api/amendments/${drafted.body.id}/decision`, { decision: "accepted" });
    expect(decided.status, JSON.stringify(decided.body)).toBeLessThan(300);

    const rapporteurApi = await suite.server.login("rapporteur");
    const report = (await rapporteurApi.get(`/api/documents/${programmeId}/provenance`)).body as { paragraphs: Array<{ paragraphId: string; sourceParagraphId: string; status: string }> };
    const entry = report.paragraphs.find((p) => p.sourceParagraphId === source.id)!;
    expect(entry.status).toBe("changed");
    const item = `${provenancePanel} .pn-provenance[data-paragraph-id="${entry.paragraphId}"]`;
    // The panel follows provenance events live, without a reload.
    await rapporteur.waitForSelector(`${item}[data-status="changed"]`, { timeout: 10_000 });
    await expect(rapporteur.locator(`${item} ins`).first().textContent()).resolves.toContain("civil society");
    await rapporteur.locator(item).scrollIntoViewIfNeeded();
    await screenshot(rapporteur, "panel-consolidation-changed");
    await rapporteur.click(`${item} button:text-is("Pull the new wording")`);
    await until(
      async () => (await paragraphs(rapporteurApi, programmeId)).find((p) => p.id === entry.paragraphId)!.text.endsWith("in coordination with civil society."),
      10_000,
      "the pulled wording in the work programme",
    );
    await until(async () => (await paragraphText(rapporteur, entry.paragraphId)).endsWith("in coordination with civil society."), 5000, "the pulled wording on the page");
  });
});
