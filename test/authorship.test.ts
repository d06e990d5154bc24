import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as Y from "yjs";
import { startTestServer, type TestServer } from "./helpers/server.js";
import { collabClient, eventually } from "./helpers/collab.js";
import type { ApiClient } from "./helpers/api.js";
import { indexOfBlock, textFragment } from "../schema/index.js";

let server: TestServer;
let chair: ApiClient;
let declaration: string;
beforeAll(async () => {
  server = await startTestServer();
  chair = await server.login("chair");
  declaration = server.demo.documents.declaration!;
});
afterAll(async () => {
  await server?.stop();
});

interface Paragraph {
  id: string;
  ref: string | null;
  kind: string;
  text: string;
}

/** Operative paragraphs nobody has agreed yet (agreed text is locked). */
async function openParagraphs(): Promise<Paragraph[]> {
  const content = (await chair.get<{ canonical: { paragraphs: Paragraph[] } }>(`/api/documents/${declaration}/content`)).body.canonical.paragraphs;
  const statuses = (await chair.get<Array<{ paragraphId: string; status: string }>>(`/api/documents/${declaration}/paragraph-statuses`)).body;
  const agreed = new Set(statuses.filter((s) => s.status !== "white").map((s) => s.paragraphId));
  return content.filter((p) => p.kind === "op" && !agreed.has(p.id));
}

/** Edits one paragraph's text as `username`, through a stock y-websocket client, and waits for the server to have it. */
async function edit(username: string, paragraphId: string, change: (text: Y.XmlText) => void, expected: (text: string) => boolean): Promise<void> {
  const api = await server.login(username);
  const client = collabClient(server.url, declaration, api.cookie);
  await client.synced;
  const fragment = textFragment(client.doc);
  const text = (fragment.get(indexOfBlock(fragment, paragraphId)) as Y.XmlElement).get(0) as Y.XmlText;
  client.doc.transact(() => change(text));
  await eventually(async () => {
    const now = (await chair.get<{ canonical: { paragraphs: Paragraph[] } }>(`/api/documents/${declaration}/content`)).body.canonical.paragraphs;
    return expected(now.find((p) => p.id === paragraphId)!.text);
  }, 5000, `${username}'s edit stored`);
  expect(client.denials).toEqual([]);
  client.destroy();
}

interface Changes {
  since: { versionId: string; label: string };
  authors: Array<{ key: string; label: string; delegation: string | null; people: string[]; inserted: number; deleted: number; attributes: number }>;
  paragraphs: Array<{
    id: string;
    ref: string | null;
    change: string;
    runs: Array<{ op: string; text: string; author: string | null; at: string | null }>;
    attributes: Array<{ name: string; from: unknown; to: unknown; author: string | null; at: string | null }>;
  }>;
  summary: { inserted: number; deleted: number; attributes: number; paragraphsChanged: number };
}

describe("who wrote what: changes since a version", () => {
  it("attributes each insertion and deletion since Rev.1 to the delegation that made it, in the text's order", async () => {
    const rev1 = await chair.post(`/api/documents/${declaration}/versions`, { label: "Rev.1" });
    expect(rev1.status).toBe(201);
    const [first, second] = await openParagraphs();
    const word = second!.text.split(" ")[1]!;
    const at = second!.text.indexOf(` ${word}`);

    await edit("arg.delegate", first!.id, (t) => t.insert(t.length, " as agreed by Argentina"), (s) => s.endsWith(" as agreed by Argentina"));
    await edit("bra.delegate", second!.id, (t) => t.delete(at, word.length + 1), (s) => s.length === second!.text.length - word.length - 1);
    await edit("bra.delegate", first!.id, (t) => t.insert(0, "Brazil: "), (s) => s.startsWith("Brazil: "));

    const res = await chair.get<Changes>(`/api/documents/${declaration}/changes?since=${rev1.body.id}`);
    expect(res.status).toBe(200);
    const changes = res.body;
    expect(changes.since).toMatchObject({ versionId: rev1.body.id, label: "Rev.1" });
    const byId = new Map(changes.paragraphs.map((p) => [p.id, p]));
    expect(byId.get(first!.id)!.change).toBe("changed");
    expect(byId.get(first!.id)!.runs.map((r) => [r.op, r.text, r.author])).toEqual([
      ["insert", "Brazil: ", "BRA"],
      ["equal", first!.text, null],
      ["insert", " as agreed by Argentina", "ARG"],
    ]);
    // The deleted word stands where it was, read from the version.
    expect(byId.get(second!.id)!.runs.map((r) => [r.op, r.text, r.author])).toEqual([
      ["equal", second!.text.slice(0, at), null],
      ["delete", ` ${word}`, "BRA"],
      ["equal", second!.text.slice(at + word.length + 1), null],
    ]);
    expect(byId.get(second!.id)!.runs[1]!.at).toMatch(/^\d{4}-\d\d-\d\dT/);
    // Every other paragraph is unchanged, in the text's order.
    expect(changes.paragraphs.filter((p) => p.change !== "same").map((p) => p.id).sort()).toEqual([first!.id, second!.id].sort());
    expect(changes.authors).toEqual([
      { key: "ARG", label: "Argentina (ARG)", delegation: "ARG", people: [expect.any(String)], inserted: " as agreed by Argentina".length, deleted: 0, attributes: 0 },
      { key: "BRA", label: "Brazil (BRA)", delegation: "BRA", people: [expect.any(String)], inserted: "Brazil: ".length, deleted: word.length + 1, attributes: 0 },
    ]);
    expect(changes.summary).toEqual({ inserted: " as agreed by Argentina".length + "Brazil: ".length, deleted: word.length + 1, attributes: 0, paragraphsChanged: 2 });
  });

  it("shows a paragraph removed by the chair as deleted by the chair (as chair, not for a delegation), after the text is compacted", async () => {
    const rev = await chair.post(`/api/documents/${declaration}/versions`, { label: "Rev.2" });
    const [, , third] = await openParagraphs();
    const api = await server.login("chair");
    const client = collabClient(server.url, declaration, api.cookie);
    await client.synced;
    const fragment = textFragment(client.doc);
    client.doc.transact(() => fragment.delete(indexOfBlock(fragment, third!.id), 1));
    await eventually(async () => {
      const now = (await chair.get<{ canonical: { paragraphs: Paragraph[] } }>(`/api/documents/${declaration}/content`)).body.canonical.paragraphs;
      return !now.some((p) => p.id === third!.id);
    }, 5000, "paragraph removed");
    expect(client.denials).toEqual([]);
    client.destroy();
    // Closing the room compacts the update log into the snapshot; who wrote what is kept apart.
    await eventually(() => server.ctx.rooms.get(declaration) === undefined || server.ctx.rooms.get(declaration) === null, 10_000, "room closed");

    const changes = (await chair.get<Changes>(`/api/documents/${declaration}/changes?since=${rev.body.id}`)).body;
    const removed = changes.paragraphs.find((p) => p.id === third!.id)!;
    expect(removed).toMatchObject({ change: "deleted", ref: third!.ref });
    expect(removed.runs).toEqual([{ op: "delete", text: third!.text, author: "@chair", at: expect.any(String) }]);
    expect(changes.authors).toEqual([expect.objectContaining({ key: "@chair", label: "Chair of the Meeting (chair)", delegation: null })]);
  });

  it("attributes a block attribute changed in the text (a paragraph made unnumbered) to the person whose update set it", async () => {
    const rev = await chair.post(`/api/documents/${declaration}/versions`, { label: "Rev.attributes" });
    expect(rev.status).toBe(201);
    const [target] = await openParagraphs();
    const api = await server.login("secretariat");
    const client = collabClient(server.url, declaration, api.cookie);
    await client.synced;
    const fragment = textFragment(client.doc);
    client.doc.transact(() => (fragment.get(indexOfBlock(fragment, target!.id)) as Y.XmlElement).setAttribute("numbering", "unnumbered"));
    await eventually(async () => {
      const now = (await chair.get<{ canonical: { paragraphs: Array<Paragraph & { numbering?: string }> } }>(`/api/documents/${declaration}/content`)).body.canonical.paragraphs;
      return now.find((p) => p.id === target!.id)?.numbering === "unnumbered";
    }, 5000, "the paragraph unnumbered on the server");
    expect(client.denials).toEqual([]);
    client.destroy();

    const changes = (await chair.get<Changes>(`/api/documents/${declaration}/changes?since=${rev.body.id}`)).body;
    const changed = changes.paragraphs.find((p) => p.id === target!.id)!;
    expect(changed.change).toBe("changed");
    expect(changed.runs.every((r) => r.op === "equal")).toBe(true);
    expect(changed.attributes).toEqual([{ name: "numbering", from: "numbered", to: "unnumbered", author: "@secretariat", at: expect.stringMatching(/^\d{4}-/) }]);
    expect(changes.authors).toEqual([expect.objectContaining({ key: "@secretariat", inserted: 0, deleted: 0, attributes: 1 })]);
    expect(changes.summary).toMatchObject({ attributes: 1, paragraphsChanged: 1 });
    // Every other paragraph reports no attribute change.
    expect(changes.paragraphs.filter((p) => p.id !== target!.id).every((p) => p.attributes.length === 0)).toBe(true);
  });

  it("credits each delegation with its own words when several type at the same moment (their updates stored in one flush)", async () => {
    const rev = await chair.post(`/api/documents/${declaration}/versions`, { label: "Rev.together" });
    expect(rev.status).toBe(201);
    const [target] = await openParagraphs();
    const people = ["arg.delegate", "bra.delegate", "col.delegate"];
    const clients = await Promise.all(
      people.map(async (username) => {
        const client = collabClient(server.url, declaration, (await server.login(username)).cookie);
        await client.synced;
        return client;
      }),
    );
    // Sent in one turn of this process: they reach the server together, and its flush stores
    // them in one transaction whose reactions share one batch.
    clients.forEach((client, i) => {
      const fragment = textFragment(client.doc);
      const text = (fragment.get(indexOfBlock(fragment, target!.id)) as Y.XmlElement).get(0) as Y.XmlText;
      client.doc.transact(() => text.insert(text.length, ` [${people[i]}]`));
    });
    await eventually(async () => {
      const now = (await chair.get<{ canonical: { paragraphs: Paragraph[] } }>(`/api/documents/${declaration}/content`)).body.canonical.paragraphs;
      return people.every((p) => now.find((x) => x.id === target!.id)!.text.includes(`[${p}]`));
    }, 5000, "the three edits stored");
    for (const client of clients) {
      expect(client.denials).toEqual([]);
      client.destroy();
    }
    const changes = (await chair.get<Changes>(`/api/documents/${declaration}/changes?since=${rev.body.id}`)).body;
    const runs = changes.paragraphs.find((p) => p.id === target!.id)!.runs.filter((r) => r.op === "insert");
    for (const [username, code] of [["arg.delegate", "ARG"], ["bra.delegate", "BRA"], ["col.delegate", "COL"]] as const)
      expect(runs.find((r) => r.text.includes(`[${username}]`))?.author).toBe(code);
    expect(changes.authors.map((a) => [a.key, a.inserted]).sort()).toEqual(people.map((p, i) => [["ARG", "BRA", "COL"][i], ` [${p}]`.length]));
  });

  it("refuses a missing or foreign version with a reason, and an outsider", async () => {
    expect((await chair.get(`/api/documents/${declaration}/changes`)).status).toBe(400);
    const unknown = await chair.get(`/api/documents/${declaration}/changes?since=v_doesnotexist`);
    expect(unknown.status).toBe(404);
    expect(unknown.body.error).toMatch(/version/);
    const other = Object.values(server.demo.documents).find((id) => id !== declaration)!;
    const versions = (await chair.get<Array<{ id: string }>>(`/api/documents/${declaration}/versions`)).body;
    expect((await chair.get(`/api/documents/${other}/changes?since=${versions[0]!.id}`)).status).toBe(404);
    const observer = await server.login("observer");
    expect((await observer.get(`/api/documents/${declaration}/changes?since=${versions[0]!.id}`)).status).toBe(200);
  });
});
