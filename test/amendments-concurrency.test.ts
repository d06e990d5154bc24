import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as Y from "yjs";
import { startTestServer, type TestServer } from "./helpers/server.js";
import type { ApiClient } from "./helpers/api.js";
import { collabClient, eventually, type CollabClient } from "./helpers/collab.js";
import { textFragment } from "../schema/index.js";

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server?.stop();
});

/** Signs in several demo accounts at once. */
function logins<const T extends readonly string[]>(...names: T): Promise<{ [K in keyof T]: ApiClient }> {
  return Promise.all(names.map((n) => server.login(n))) as Promise<{ [K in keyof T]: ApiClient }>;
}

/** Appends `text` to the paragraph with `id` in a client's own copy, as typing would. */
function typeInto(client: CollabClient, id: string, text: string): void {
  const index = client.canonical().paragraphs.findIndex((p) => p.id === id);
  const element = textFragment(client.doc).get(index) as Y.XmlElement;
  (element.get(0) as Y.XmlText).insert((element.get(0) as Y.XmlText).length, text);
}

const WORDING = "To urge member states to ratify and fully implement the Protocol without delay.";

describe("accepting an amendment while delegates type", () => {
  it("two stock clients typing in OP2 and elsewhere converge with the accepted wording and lose nothing typed outside OP2", async () => {
    const docId = server.demo.documents.declaration!;
    const [arg, bra, mex, chair] = await logins("arg.delegate", "bra.delegate", "mex.delegate", "chair");
    const before = (await arg.get(`/api/documents/${docId}/content`)).body.canonical.paragraphs as Array<{ id: string; ref: string; text: string }>;
    const op2 = before.find((p) => p.ref === "OP2")!;
    const op1 = before.find((p) => p.ref === "OP1")!;
    const pp1 = before.find((p) => p.ref === "PP1")!;
    const drafted = await arg.post(`/api/documents/${docId}/amendments`, { paragraphId: op2.id, operation: "replace", content: { text: WORDING } });
    const tabled = await arg.post(`/api/amendments/${drafted.body.id}/table`);
    expect(tabled.status).toBe(200);

    const a = collabClient(server.url, docId, bra.cookie);
    const b = collabClient(server.url, docId, mex.cookie);
    await Promise.all([a.synced, b.synced]);

    // Each client types into OP2 and into a paragraph of its own, one key per turn, until told to stop.
    let stop = false;
    const typedA: string[] = [];
    const typedB: string[] = [];
    const typist = async (client: CollabClient, other: string, typed: string[], tag: string) => {
      for (let i = 0; !stop; i++) {
        const key = `${tag}${i % 10}`;
        typeInto(client, op2.id, key);
        typeInto(client, other, key);
        typed.push(key);
        await new Promise((r) => setTimeout(r, 1));
      }
    };
    const typing = Promise.all([typist(a, op1.id, typedA, "a"), typist(b, pp1.id, typedB, "b")]);
    await eventually(() => typedA.length > 20 && typedB.length > 20, 5000, "typing under way");
    const decided = await chair.post(`/api/amendments/${tabled.body.id}/decision`, { decision: "accepted" });
    expect(decided.status, JSON.stringify(decided.body)).toBe(200);
    const atDecision = typedA.length + typedB.length;
    await eventually(() => typedA.length + typedB.length > atDecision + 40, 5000, "typing after the decision");
    stop = true;
    await typing;

    const server_ = async () => (await chair.get(`/api/documents/${docId}/content`)).body.canonical;
    await eventually(
      async () => {
        const s = JSON.stringify(await server_());
        return JSON.stringify(a.canonical()) === s && JSON.stringify(b.canonical()) === s;
      },
      10_000,
      "convergence",
    );
    const after = (await server_()).paragraphs as Array<{ id: string; ref: string; text: string }>;
    expect(after.find((p) => p.id === op1.id)!.text).toBe(op1.text + typedA.join(""));
    expect(after.find((p) => p.id === pp1.id)!.text).toBe(pp1.text + typedB.join(""));
    const newOp2 = after.find((p) => p.id === op2.id)!;
    expect(newOp2.ref).toBe("OP2");
    // The accepted wording stands whole; the old wording and the keys the server had when
    // it replaced OP2 are gone; keys typed concurrently with the replacement stay around it.
    expect(newOp2.text).toContain(WORDING);
    expect(newOp2.text.replace(WORDING, "")).toMatch(/^([ab]\d)*$/);
    expect(a.denials).toEqual([]);
    expect(b.denials).toEqual([]);
    a.destroy();
    b.destroy();
  });
});
