import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "./helpers/server.js";
import { plainTextProblem } from "../schema/plain-text.js";

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server?.stop();
});

// A NUL, each bidirectional control, and lone surrogates of both halves.
const BAD = ["Rev.\u00001", "RTP\u202E90/5.cod", "a\u202Ab", "a\u202Bb", "a\u202Cb", "a\u202Db", "a\u2066b", "a\u2067b", "a\u2068b", "a\u2069b", "x\uD800y", "x\uDFFF", "\uDC00\uD800"];

describe("names, symbols and reasons refuse NUL, bidi controls and lone surrogates", () => {
  it("the check itself: refuses each, allows ordinary text in any script, marks and surrogate pairs", () => {
    for (const text of BAD) expect(plainTextProblem(text), JSON.stringify(text)).not.toBeNull();
    for (const text of ["Rev.1", "Declaración de Buenos Aires", "إعلان بوينس آيرس\u200F", "宣言 😀", "RTP-II/doc.5/09 rev. 9"]) expect(plainTextProblem(text)).toBeNull();
  });

  it("every edge that takes one answers 400 with the reason, and stores nothing", async () => {
    const secretariat = await server.login("secretariat");
    const rapporteur = await server.login("rapporteur");
    const delegate = await server.login("arg.delegate");
    const docId = server.demo.documents.declaration!;
    const paragraphId = (await delegate.get(`/api/documents/${docId}/content`)).body.canonical.paragraphs.find((p: any) => p.kind === "op").id;
    const versionsBefore = (await secretariat.get(`/api/documents/${docId}/versions`)).body.length;
    for (const bad of BAD) {
      const attempts = [
        await secretariat.post(`/api/documents/${docId}/versions`, { label: bad }),
        await delegate.post(`/api/documents/${docId}/amendments`, { paragraphId, operation: "replace", content: { text: "New text." }, rationale: bad }),
        await secretariat.post(`/api/documents/${docId}/transitions`, { to: "withdrawn", reason: bad }),
        await rapporteur.post(`/api/meetings/${server.demo.meetingId}/consolidations`, { title: bad, sources: [{ documentId: server.demo.documents.wg1 }] }),
        await rapporteur.post(`/api/meetings/${server.demo.meetingId}/consolidations`, { title: "Work programme", symbol: bad, sources: [{ documentId: server.demo.documents.wg1 }] }),
      ];
      // A query string is UTF-8: a lone surrogate cannot be written in one (it arrives as U+FFFD).
      const inQuery = /[\uD800-\uDFFF]/.test(bad) ? null : bad;
      const imported = inQuery === null ? null : await fetch(
        `${server.url}/api/meetings/${server.demo.meetingId}/documents/import?dryRun=1&kind=declaration&bodyId=${encodeURIComponent(server.demo.bodies.plenary!)}&symbol=${encodeURIComponent(inQuery!)}`,
        { method: "POST", headers: { cookie: secretariat.cookie, "x-csrf-token": secretariat.csrfToken, "content-type": "text/plain" }, body: "PP1 Recognizing.\n1. Decides." },
      );
      if (imported) attempts.push({ status: imported.status, body: await imported.json() });
      for (const res of attempts) {
        expect(res.status, JSON.stringify(bad)).toBe(400);
        expect(res.body.error).toMatch(/NUL|bidirectional|surrogate/);
      }
    }
    expect((await secretariat.get(`/api/documents/${docId}/versions`)).body.length).toBe(versionsBefore);
    expect((await secretariat.get(`/api/documents/${docId}`)).body.state).not.toBe("withdrawn");
  });
});

describe("a NUL anywhere in a request is refused before any route reads it", () => {
  // PostgreSQL cannot hold a NUL in text: unrefused, it failed there as a 500 where SQLite stored it.
  it("in the address, the query or any string or key of a JSON body: 400 with where it is, on either store", async () => {
    const secretariat = await server.login("secretariat");
    const delegate = await server.login("arg.delegate");
    const docId = server.demo.documents.declaration!;
    const meetingId = server.demo.meetingId;
    const titleBefore = (await secretariat.get(`/api/meetings/${meetingId}`)).body.title;
    const attempts = [
      { res: await delegate.get(`/api/documents/${docId}%00`), where: /address/ },
      { res: await delegate.get(`/api/documents/${docId}/comments?paragraph=a%00b`), where: /address/ },
      { res: await secretariat.patch(`/api/meetings/${meetingId}`, { title: "Meeting\u0000" }), where: /title/ },
      { res: await delegate.post(`/api/documents/${docId}/comments`, { anchor: { nested: ["ok", "a\u0000"] } }), where: /anchor\.nested\.1/ },
      { res: await delegate.post(`/api/documents/${docId}/comments`, { "k\u0000": 1 }), where: /a key/ },
    ];
    for (const { res, where } of attempts) {
      expect(res.status, JSON.stringify(res.body)).toBe(400);
      expect(res.body.error).toMatch(/NUL/);
      expect(res.body.error).toMatch(where);
    }
    expect((await secretariat.get(`/api/meetings/${meetingId}`)).body.title).toBe(titleBefore);
  });
});
