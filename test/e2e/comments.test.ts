/**
 * Comments in real Chromium, as two delegates in the room use them: one comments on
 * selected words, the other sees the highlight and the thread appear live, replies with a
 * mention; the mentioned delegate's inbox counts it at once, and its link opens the
 * Comments panel on the thread and the text at the paragraph.
 */
import { describe, expect, test } from "vitest";
import { createTestDeclaration } from "../helpers/lifecycle.js";
import { browserSuite, openDocument, paragraphSelector, screenshot, selectWords, until } from "./browser.js";

const suite = browserSuite();

// Two people, a dozen round trips each through the server and two browsers: on a loaded machine a minute is not enough.
describe("comments in the browser", { timeout: 180_000 }, () => {
  test("a delegate comments on words; another sees it live and replies with a mention; the inbox link opens the paragraph", async () => {
    const { id: docId, blocks } = createTestDeclaration(suite.server, "Comments in the room");
    const op1 = blocks[2]!.id;
    const usa = await suite.signIn("usa.delegate");
    const mex = await suite.signIn("mex.delegate");
    const errors: string[] = [];
    for (const s of [usa, mex]) s.page.on("console", (m) => m.type() === "error" && errors.push(`${s.username}: ${m.text()}`));
    await openDocument(usa.page, suite.server.url, docId);
    await openDocument(mex.page, suite.server.url, docId);
    // MEX reads the Comments panel while USA comments.
    await mex.page.locator('aside [role="tab"]#tab-comments').click();
    await mex.page.waitForSelector('aside [data-panel="comments"] .comments-panel');

    // USA selects "Palermo Protocol" and comments on it through the text bar's action.
    await selectWords(usa.page, op1, "Palermo Protocol");
    await usa.page.click('[data-action="comment"]');
    const form = usa.page.locator('aside [data-panel="comments"] [data-form="new-thread"]');
    await form.waitFor();
    expect(await form.textContent()).toContain("Palermo Protocol");
    await form.locator("textarea").fill("Which protocol exactly: the 2000 one?");
    await form.locator('[data-action="post-comment"]').click();
    await usa.page.waitForSelector(`${paragraphSelector(op1)} .comment-range`);

    // MEX sees the words highlighted and the thread in the panel, without reloading.
    const highlight = mex.page.locator(`${paragraphSelector(op1)} .comment-range`);
    await highlight.waitFor();
    expect(await highlight.textContent()).toBe("Palermo Protocol");
    const thread = mex.page.locator('aside [data-panel="comments"] .thread').first();
    await thread.waitFor();
    expect(await thread.textContent()).toContain("Which protocol exactly: the 2000 one?");

    // From another panel, a click on the highlighted words brings their thread back.
    await mex.page.locator('aside [role="tab"]#tab-status').click();
    await mex.page.waitForSelector('aside [data-panel="status"]');
    await highlight.click();
    await mex.page.waitForSelector('aside [data-panel="comments"] .thread.focused');

    // MEX replies, mentioning USA.
    await thread.locator(".reply textarea").fill("@usa.delegate yes, the Protocol of 2000.");
    await thread.locator('[data-action="reply"]').click();
    await until(async () => (await usa.page.locator('aside [data-panel="comments"] .comment').count()) === 2, 10_000, "the reply on USA's page");

    // USA's inbox counts the mention at once (live, over the document's events channel).
    await usa.page.waitForSelector('.inbox-button[data-unread="1"]');
    await usa.page.click(".inbox-button");
    const mention = usa.page.locator('.inbox-list [data-notification="mention"] a');
    await mention.waitFor();
    expect(await mention.textContent()).toContain("mex.delegate mentioned you");
    await screenshot(usa.page, "comments-inbox");

    // Meanwhile USA looks at another panel; the link brings back the thread and the paragraph.
    await usa.page.evaluate(() => window.scrollTo(0, 0));
    await mention.click();
    await until(() => usa.page.url().includes("panel=comments") && usa.page.url().endsWith(`#${op1}`), 10_000, "the link's address");
    await usa.page.waitForSelector(`aside [data-panel="comments"] .thread.focused`);
    await usa.page.waitForSelector(`${paragraphSelector(op1)}.flash`);
    await usa.page.waitForSelector('.inbox-button[data-unread="0"]');
    await screenshot(usa.page, "comments-thread");

    // The same link in a fresh page opens the document there too.
    const fresh = await usa.context.newPage();
    await fresh.goto(usa.page.url());
    await fresh.waitForSelector(`aside [data-panel="comments"] .thread.focused`);
    await fresh.close();

    // USA answers MEX with a mention; MEX's meeting home counts it, beside the document too.
    const focused = usa.page.locator('aside [data-panel="comments"] .thread.focused');
    await focused.locator(".reply textarea").fill("Thanks, @mex.delegate.");
    await focused.locator('[data-action="reply"]').click();
    await until(async () => (await focused.locator(".comment").count()) === 3, 10_000, "USA's second reply");
    await mex.page.goto(`${suite.server.url}/`);
    await mex.page.waitForSelector('.home-inbox[data-inbox-unread="1"]');
    await mex.page.waitForSelector(`.unread-badge[data-unread-for="${docId}"]`);
    await screenshot(mex.page, "comments-home");
    expect(errors).toEqual([]);
  });
});
