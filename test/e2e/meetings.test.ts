import { describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import { ADMIN_PASSWORD, startEmptyServer } from "../helpers/server.js";
import { browserSuite, newPage, screenshot, waitForEditor } from "./browser.js";

// The administrator and the secretariat set up a meeting in the web app, from nothing.

const suite = browserSuite(startEmptyServer);

async function signInAs(username: string, password: string, landing: string): Promise<Page> {
  const { page } = await newPage(suite.browser);
  await page.goto(`${suite.server.url}/login`);
  await page.fill("#username", username);
  await page.fill("#password", password);
  await page.click('form[name="login"] button[type="submit"]');
  await page.waitForSelector(`main[data-page="${landing}"]`);
  return page;
}

/** The setup links the page shows, by username. */
async function shownLinks(page: Page): Promise<Record<string, string>> {
  const rows = await page.$$eval("[data-setup-for]", (trs) => trs.map((tr) => [tr.getAttribute("data-setup-for")!, tr.querySelector("a")!.href]));
  return Object.fromEntries(rows);
}

describe("setting up a meeting in the web app", () => {
  it("the administrator creates a meeting and appoints its secretariat; the secretariat sets a password with the link, adds bodies, imports members and opens a new blank document", async () => {
    const admin = await signInAs("admin", ADMIN_PASSWORD, "meetings");
    expect(await admin.textContent(".app-bar .who-role")).toBe("Administrator");
    await admin.click('a[href="/meetings/new"]');
    await admin.waitForSelector('main[data-page="new-meeting"] form[name="meeting"]');
    await admin.fill('input[name="title"]', "Meeting of Ministers of Justice");
    await admin.fill('input[name="seriesSymbol"]', "MJ-III");
    await admin.fill('input[name="venue"]', "Lima, Peru");
    await admin.check('input[name="language"][value="es"]');
    // The picker finds states by their Spanish name too.
    await admin.fill('input[name="delegation-filter"]', "Perú");
    await admin.check('input[name="delegation"][value="PER"]');
    for (const code of ["ARG", "BRA", "CHL", "EU"]) {
      await admin.fill('input[name="delegation-filter"]', code);
      await admin.check(`input[name="delegation"][value="${code}"]`);
    }
    await admin.click('form[name="meeting"] button[type="submit"]');
    await admin.waitForSelector('main[data-page="meeting-members"]');
    const meetingId = new URL(admin.url()).pathname.split("/")[2]!;

    await admin.fill('form[name="add-member"] input[name="username"]', "mj.secretariat");
    await admin.fill('form[name="add-member"] input[name="displayName"]', "Secretariat of the meeting");
    await admin.selectOption('form[name="add-member"] select[name="role"]', "secretariat");
    await admin.click('form[name="add-member"] button[type="submit"]');
    await admin.waitForSelector('[data-setup-for="mj.secretariat"]');
    const link = (await shownLinks(admin))["mj.secretariat"]!;
    expect(link).toMatch(/\/setup\/[A-Za-z0-9_-]+$/);
    await screenshot(admin, "meetings-members-admin");

    // The secretariat, not signed in anywhere, opens the link.
    const { page } = await newPage(suite.browser);
    await page.goto(link);
    await page.waitForSelector('main[data-page="setup"] form[name="setup"]');
    expect(await page.textContent("[data-username]")).toBe("mj.secretariat");
    await page.fill("#new-password", "a secretariat password");
    await page.fill("#repeat-password", "a secretariat password");
    await page.click('form[name="setup"] button[type="submit"]');
    await page.waitForSelector('main[data-page="home"] .meeting-header .series');
    expect(await page.textContent(".meeting-header h1")).toBe("Meeting of Ministers of Justice");

    // Bodies: the plenary first (offered when there is none).
    await page.click('[data-section="bodies"]');
    await page.waitForSelector('form[name="new-body"]');
    expect(await page.inputValue('form[name="new-body"] select[name="kind"]')).toBe("plenary");
    await page.click('form[name="new-body"] button[type="submit"]');
    await page.waitForSelector('[data-body="Plenary"]');

    // Members from CSV: a wrong line is named and nobody is added; then the right file.
    await page.click('.setup-tabs [data-section="members"]');
    await page.waitForSelector('form[name="import-members"]');
    const header = "username,displayName,role,delegation,email";
    await page.fill('textarea[name="csv"]', `${header}\nper.delegate,Delegate of Peru,delegate,PER,\nfra.delegate,Delegate of France,delegate,FRA,`);
    await page.click('form[name="import-members"] button[type="submit"]');
    await page.waitForSelector(".line-errors li");
    expect(await page.textContent(".line-errors li")).toBe("Line 3: delegation FRA is not a member of this meeting");
    expect(await page.$('[data-member="per.delegate"]')).toBeNull();
    await page.fill('textarea[name="csv"]', `${header}\nper.delegate,Delegate of Peru,delegate,PER,\narg.delegate,Delegate of Argentina,delegate,ARG,`);
    await page.click('form[name="import-members"] button[type="submit"]');
    await page.waitForSelector('[data-member="arg.delegate"]');
    const links = await shownLinks(page);
    expect(Object.keys(links).sort()).toEqual(["arg.delegate", "per.delegate"]);
    await screenshot(page, "meetings-members-import");

    // A member made a translator is asked their languages; the server needs them with the role.
    await page.selectOption('[data-member="per.delegate"] select', "translator");
    await page.fill('[data-member="per.delegate"] form[name="member-languages"] input[name="languages"]', "ES");
    await page.click('[data-member="per.delegate"] form[name="member-languages"] button[type="submit"]');
    await page.waitForFunction(() => document.querySelector('[data-member="per.delegate"]')?.textContent?.includes("translates into ES"));
    expect(await page.inputValue('[data-member="per.delegate"] select')).toBe("translator");
    expect(await page.$("p.form-error")).toBeNull();

    // New document: a blank resolution opens with its title and one empty operative paragraph.
    await page.click('.setup-tabs [data-section="new-document"]');
    await page.waitForSelector('form[name="new-document"]');
    await page.fill('form[name="new-document"] input[name="title"]', "Draft resolution on cooperation");
    await page.click('form[name="new-document"] button[type="submit"]');
    await waitForEditor(page);
    const blocks = await page.$$eval(".ProseMirror > *", (els) => els.map((e) => [e.tagName.toLowerCase(), (e.textContent ?? "").trim()]));
    expect(blocks[0]![1]).toBe("Draft resolution on cooperation");
    expect(blocks).toHaveLength(2);
    expect(blocks[1]![1]).toBe("");
    const docs = await fetch(`${suite.server.url}/api/meetings/${meetingId}/documents`, { headers: { cookie: (await page.context().cookies()).map((c) => `${c.name}=${c.value}`).join("; ") } });
    expect(((await docs.json()) as Array<{ symbol: string }>)[0]!.symbol).toBe("MJ-III/doc.1");
    await screenshot(page, "meetings-new-document");

    // The administrator has no role in the meeting: its documents are listed, not offered
    // as links to a page that would say "not found", and nothing is asked that answers 404.
    const refused: string[] = [];
    admin.on("response", (r) => void (r.status() >= 400 && refused.push(`${r.status()} ${r.url()}`)));
    await admin.goto(`${suite.server.url}/meetings/${meetingId}`);
    await admin.waitForSelector("main[data-page=\"home\"] [data-listed-document-id]");
    expect(await admin.$("a[data-document-id]")).toBeNull();
    expect(refused).toEqual([]);
  }, 240_000);
});
