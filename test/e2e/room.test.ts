/**
 * The editor in a real room, in Chromium: people typing at one spot, agreed text that
 * stays agreed, edits that survive a closed tab, and the tools that make the work faster.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser } from "playwright-core";
import { startTestServer, type TestServer } from "../helpers/server.js";
import type { ApiClient } from "../helpers/api.js";
import { launchBrowser, openDocument, paragraphText, placeCaret, signIn, until, type BrowserSession } from "./browser.js";

interface CanonicalParagraph {
  id: string;
  kind: string;
  level: number;
  ref: string | null;
  text: string;
}

let server: TestServer;
let browser: Browser;
let secretariat: ApiClient;
let declaration: string;

beforeAll(async () => {
  [server, browser] = await Promise.all([startTestServer(), launchBrowser()]);
  secretariat = await server.login("secretariat");
  declaration = server.demo.documents.declaration!;
});
afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

/** The paragraphs of a document as the server has them now. */
async function serverParagraphs(documentId: string): Promise<CanonicalParagraph[]> {
  const res = await secretariat.get<{ canonical: { paragraphs: CanonicalParagraph[] } }>(`/api/documents/${documentId}/content`);
  return res.body.canonical.paragraphs;
}

/** The text of one paragraph on the server. */
async function serverText(documentId: string, paragraphId: string): Promise<string> {
  return (await serverParagraphs(documentId)).find((p) => p.id === paragraphId)?.text ?? "";
}

async function withSessions<T>(sessions: BrowserSession[], fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } finally {
    await Promise.all(sessions.map((s) => s.close()));
  }
}

describe("the editor in the room", () => {
  it("two delegates typing at the same caret position each keep their run whole", async () => {
    const [arg, bra] = await Promise.all([signIn(browser, server.url, "arg.delegate"), signIn(browser, server.url, "bra.delegate")]);
    await withSessions([arg, bra], async () => {
      await Promise.all([openDocument(arg.page, server.url, declaration), openDocument(bra.page, server.url, declaration)]);
      const target = (await serverParagraphs(declaration)).filter((p) => p.kind === "op")[2]!;
      await arg.page.waitForSelector('.presence li[data-username="bra.delegate"]');
      await placeCaret(arg.page, target.id, "end");
      await placeCaret(bra.page, target.id, "end");
      const mine = "AAAAAAAAAAAA";
      const theirs = "bbbbbbbbbbbb";
      // Letter by letter at once, so that each one crosses the other's on the wire.
      await Promise.all([arg.page.keyboard.type(mine, { delay: 40 }), bra.page.keyboard.type(theirs, { delay: 40 })]);
      const whole = (text: string) => text === target.text + mine + theirs || text === target.text + theirs + mine;
      await until(async () => whole(await serverText(declaration, target.id)), 10_000, `both runs whole on the server: ${JSON.stringify(await serverText(declaration, target.id))}`);
      for (const page of [arg.page, bra.page]) await until(async () => whole(await paragraphText(page, target.id)), 10_000, "both runs whole on the page");
    });
  });
});
