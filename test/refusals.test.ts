import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "./helpers/server.js";

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server?.stop();
});

describe("refusals say each sentence once", () => {
  it("a paragraph blocked for several reasons is refused with a count, each reason listed once; for one reason, the message names it", async () => {
    const chair = await server.login("chair");
    const declaration = server.demo.documents.declaration!;
    const register = (await chair.get<{ brackets: Array<{ state: string; paragraphIds: string[] }> }>(`/api/documents/${declaration}/brackets?state=open`)).body.brackets;
    const perParagraph = new Map<string, number>();
    for (const b of register) for (const id of b.paragraphIds) perParagraph.set(id, (perParagraph.get(id) ?? 0) + 1);
    const several = [...perParagraph].find(([, n]) => n >= 2);
    const one = [...perParagraph].find(([, n]) => n === 1);
    expect(several && one).toBeTruthy();

    const refused = await chair.put(`/api/documents/${declaration}/paragraphs/${several![0]}/status`, { status: "yellow" });
    expect(refused.status).toBe(409);
    expect(refused.body.reasons.length).toBeGreaterThanOrEqual(2);
    expect(refused.body.error).toMatch(new RegExp(`cannot turn yellow for ${refused.body.reasons.length} reasons$`));
    for (const reason of refused.body.reasons) expect(refused.body.error).not.toContain(reason);

    const single = await chair.put(`/api/documents/${declaration}/paragraphs/${one![0]}/status`, { status: "yellow" });
    expect(single.status).toBe(409);
    expect(single.body.reasons).toHaveLength(1);
    expect(single.body.error).toMatch(/cannot turn yellow: /);
    expect(single.body.error.endsWith(single.body.reasons[0])).toBe(true);
  });
});
