import * as Y from "yjs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCommand } from "../server/commands/command.js";
import { blockElement } from "../server/brackets/spans.js";
import type { ApiClient } from "./helpers/api.js";
import { createTestDeclaration, makeClean } from "./helpers/lifecycle.js";
import { startTestServer, type TestServer } from "./helpers/server.js";

let server: TestServer;
let chair: ApiClient;

beforeAll(async () => {
  server = await startTestServer();
  chair = await server.login("chair");
});
afterAll(() => server.stop());

/** Types `text` at the start of a paragraph's text, as a pasting client would (through the server's own text path). */
function typeAt(documentId: string, paragraphId: string, offset: number, text: string): void {
  runCommand(server.ctx, (tx) =>
    tx.changeText(documentId, null, (fragment) => (blockElement(fragment, paragraphId)!.get(0) as Y.XmlText).insert(offset, text)),
  );
}

describe("typed brackets", () => {
  it("are reported in the register and block agreement of the paragraph and of the document", async () => {
    const { id, blocks } = createTestDeclaration(server, "Typed brackets declaration");
    const op1 = blocks[2]!;
    // "To urge [member states] to ratify…": the words look bracketed, but no bracket mark tracks them.
    typeAt(id, op1.id, "To urge ".length, "[");
    typeAt(id, op1.id, "To urge [member states".length, "]");
    const register = (await chair.get(`/api/documents/${id}/brackets`)).body;
    expect(register.counts.open).toBe(0);
    expect(register.counts.typed).toBe(1);
    expect(register.clean).toBe(false);
    expect(register.typed).toEqual([{ paragraphId: op1.id, paragraphRef: "OP1", offset: 8, close: 22, excerpt: "To urge [member states] to ratify the Paler…" }]);

    const yellow = await chair.put(`/api/documents/${id}/paragraphs/${op1.id}/status`, { status: "yellow" });
    expect(yellow.status).toBe(409);
    expect(yellow.body.error).toMatch(/OP1 cannot turn yellow: typed brackets in OP1/);
    const adRef = await chair.put(`/api/documents/${id}/paragraphs/${op1.id}/status`, { status: "ad_ref" });
    expect(adRef.status).toBe(409);

    for (const p of blocks.slice(1)) if (p.id !== op1.id) expect((await chair.put(`/api/documents/${id}/paragraphs/${p.id}/status`, { status: "yellow" })).status).toBe(200);
    const move = await chair.post(`/api/documents/${id}/transitions`, { to: "agreed_ad_ref" });
    expect(move.status).toBe(409);
    expect(move.body.reasons.some((r: string) => /typed brackets in OP1/.test(r))).toBe(true);
  });

  it("the chair converts a typed pair into a real bracket; a delegate may not; then agreement can proceed", async () => {
    const { id, blocks } = createTestDeclaration(server, "Conversion declaration");
    const op2 = blocks[3]!;
    typeAt(id, op2.id, "To strengthen ".length, "[");
    typeAt(id, op2.id, "To strengthen [cooperation".length, "]");
    const delegate = await server.login("arg.delegate");
    expect((await delegate.post(`/api/documents/${id}/brackets/typed`, { paragraphId: op2.id, offset: 14 })).status).toBe(403);
    expect((await chair.post(`/api/documents/${id}/brackets/typed`, { paragraphId: op2.id, offset: 3 })).status).toBe(400);
    const converted = await chair.post(`/api/documents/${id}/brackets/typed`, { paragraphId: op2.id, offset: 14, holders: ["USA"] });
    expect(converted.status).toBe(201);
    expect(converted.body).toMatchObject({ text: "cooperation", holders: ["USA"], state: "open", paragraphRef: "OP2", from: 14, to: 25 });
    const content = (await chair.get(`/api/documents/${id}/content`)).body;
    expect(content.canonical.paragraphs[3].text).toBe("To strengthen cooperation among national authorities.");
    const register = (await chair.get(`/api/documents/${id}/brackets`)).body;
    expect(register.counts).toMatchObject({ open: 1, typed: 0 });
    // The real bracket goes through the usual way: the holder lifts, the chair resolves.
    await makeClean(server, id, chair);
    expect((await chair.post(`/api/documents/${id}/transitions`, { to: "agreed_ad_ref" })).status).toBe(200);
  });

  it("a lone typed bracket cannot be converted, only removed", async () => {
    const { id, blocks } = createTestDeclaration(server, "Lone bracket declaration");
    const pp = blocks[1]!;
    typeAt(id, pp.id, 0, "[");
    const register = (await chair.get(`/api/documents/${id}/brackets`)).body;
    expect(register.typed).toMatchObject([{ paragraphRef: "PP1", offset: 0, close: null }]);
    const refused = await chair.post(`/api/documents/${id}/brackets/typed`, { paragraphId: pp.id, offset: 0 });
    expect(refused.status).toBe(409);
    expect(refused.body.error).toMatch(/has no "\]" after it/);
    runCommand(server.ctx, (tx) => tx.changeText(id, null, (fragment) => (blockElement(fragment, pp.id)!.get(0) as Y.XmlText).delete(0, 1)));
    expect((await chair.get(`/api/documents/${id}/brackets`)).body.counts.typed).toBe(0);
  });
});
