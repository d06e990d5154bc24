import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "./helpers/server.js";
import { request } from "./helpers/api.js";

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server?.stop();
});

describe("sessions", () => {
  it("health needs no session", async () => {
    expect(await request(server.url, "GET", "/healthz")).toEqual({ status: 200, body: { ok: true, process: expect.any(String), pid: process.pid } });
  });

  it("every demo account signs in; wrong passwords get 401 with a JSON error", async () => {
    for (const username of ["secretariat", "chair", "rapporteur", "observer", "arg.delegate", "usa.minister", "wg3.chair"]) {
      const api = await server.login(username);
      const me = await api.get("/api/session");
      expect(me.status).toBe(200);
      expect(me.body.user.username).toBe(username);
      expect(me.body.csrfToken).toBe(api.csrfToken);
    }
    const me = (await (await server.login("arg.delegate")).get("/api/session")).body.user;
    expect(me).toMatchObject({ role: "delegate", delegation: "ARG" });
    const bad = await request(server.url, "POST", "/api/session", { body: { username: "arg.delegate", password: "nope" } });
    expect(bad.status).toBe(401);
    expect(bad.body.error).toMatch(/wrong username or password/);
  });

  it("malformed input is a 400 that says what is wrong, never a 500", async () => {
    const missing = await request(server.url, "POST", "/api/session", { body: { username: "x" } });
    expect(missing.status).toBe(400);
    expect(missing.body.reasons.join(" ")).toMatch(/password/);
    const res = await fetch(`${server.url}/api/session`, { method: "POST", headers: { "content-type": "application/json" }, body: "{not json" });
    expect(res.status).toBe(400);
    expect((await res.json()).error).toMatch(/not valid JSON/);
  });

  it("no session: 401; sign-out ends the session", async () => {
    expect((await request(server.url, "GET", "/api/meetings")).status).toBe(401);
    const api = await server.login("bra.delegate");
    expect((await api.delete("/api/session")).status).toBe(204);
    expect((await api.get("/api/meetings")).status).toBe(401);
  });

  it("state changes need the CSRF token and the same origin", async () => {
    const api = await server.login("secretariat");
    const docId = server.demo.documents.declaration!;
    const noToken = await request(server.url, "POST", `/api/documents/${docId}/versions`, { body: { label: "Rev.1" }, cookie: api.cookie });
    expect(noToken.status).toBe(403);
    expect(noToken.body.error).toMatch(/CSRF/);
    const crossSite = await request(server.url, "POST", `/api/documents/${docId}/versions`, {
      body: { label: "Rev.1" },
      cookie: api.cookie,
      csrfToken: api.csrfToken,
      headers: { origin: "https://evil.example" },
    });
    expect(crossSite.status).toBe(403);
    const ok = await api.post(`/api/documents/${docId}/versions`, { label: "Rev.1" });
    expect(ok.status).toBe(201);
  });

  it("too many wrong passwords are slowed down", async () => {
    let last = 0;
    for (let i = 0; i < 12; i++) last = (await request(server.url, "POST", "/api/session", { body: { username: "per.delegate", password: "x" } })).status;
    expect(last).toBe(429);
  });
});

describe("meetings and documents", () => {
  it("lists the meeting, its 35 delegations, bodies and documents with their canonical content", async () => {
    const api = await server.login("arg.delegate");
    const meetings = (await api.get("/api/meetings")).body;
    expect(meetings).toHaveLength(1);
    expect(meetings[0].title).toMatch(/Trafficking in Persons/);
    const id = meetings[0].id;
    expect((await api.get(`/api/meetings/${id}/delegations`)).body).toHaveLength(35);
    const bodies = (await api.get(`/api/meetings/${id}/bodies`)).body;
    expect(bodies.map((b: { kind: string }) => b.kind).sort()).toEqual(["ad_hoc_group", "plenary", "working_group", "working_group", "working_group", "working_group"]);
    const docs = (await api.get(`/api/meetings/${id}/documents`)).body;
    expect(docs.map((d: { kind: string }) => d.kind)).toContain("declaration");
    expect(docs.filter((d: { kind: string }) => d.kind === "group_report")).toHaveLength(4);
    const decl = docs.find((d: { kind: string }) => d.kind === "declaration");
    const one = (await api.get(`/api/documents/${decl.id}`)).body;
    expect(one).toMatchObject({ id: decl.id, kind: "declaration", symbol: "RTP-II/doc.5/09", state: "negotiation" });
    expect(one.access.canWrite).toBe(true);
    const content = (await api.get(`/api/documents/${decl.id}/content`)).body;
    expect(content.hash).toMatch(/^[0-9a-f]{64}$/);
    const ops = content.canonical.paragraphs.filter((p: { kind: string }) => p.kind === "op");
    expect(ops[1]).toMatchObject({ number: "2", ref: "OP2" });
    expect(content.canonical.paragraphs.length).toBeGreaterThanOrEqual(20);
  });

  it("unknown ids and ids of other meetings are 404, unknown API routes too", async () => {
    const api = await server.login("arg.delegate");
    expect((await api.get("/api/documents/nope")).status).toBe(404);
    expect((await api.get("/api/meetings/nope/documents")).status).toBe(404);
    const other = server.ctx.db;
    other.prepare("INSERT INTO meetings (id, title, series_symbol, created_at) VALUES ('m-other', 'Other', 'X', '2026')").run();
    other.prepare("INSERT INTO bodies (id, meeting_id, kind, name, short_name) VALUES ('b-other', 'm-other', 'plenary', 'P', 'P')").run();
    other
      .prepare("INSERT INTO documents (id, meeting_id, body_id, kind, title, symbol, created_at, updated_at) VALUES ('d-other', 'm-other', 'b-other', 'declaration', 'T', 'S', '', '')")
      .run();
    expect((await api.get("/api/documents/d-other")).status).toBe(404);
    expect((await api.get("/api/meetings/m-other")).status).toBe(404);
    const missing = await api.get("/api/nothing-here");
    expect(missing.status).toBe(404);
    expect(missing.body.error).toMatch(/no route/);
  });

  it("named versions: listed, opened with their canonical form, symbol gains rev. n when the text changed", async () => {
    const chair = await server.login("chair");
    const docId = server.demo.documents.declaration!;
    const first = (await chair.post(`/api/documents/${docId}/versions`, { label: "Draft for Rev.1" })).body;
    const versions = (await chair.get(`/api/documents/${docId}/versions`)).body;
    expect(versions.map((v: { id: string }) => v.id)).toContain(first.id);
    const opened = (await chair.get(`/api/documents/${docId}/versions/${first.id}`)).body;
    expect(opened.canonical.paragraphs.length).toBeGreaterThan(10);
    expect(opened.hash).toBe((await chair.get(`/api/documents/${docId}/content`)).body.hash);
    const delegate = await server.login("arg.delegate");
    expect((await delegate.post(`/api/documents/${docId}/versions`, { label: "mine" })).status).toBe(403);
    expect((await chair.post(`/api/documents/${docId}/versions`, { label: "" })).status).toBe(400);
  });

  it("the audit trail is hash-chained and filterable", async () => {
    const api = await server.login("secretariat");
    const meetingId = server.demo.meetingId;
    const events = (await api.get(`/api/meetings/${meetingId}/audit?action=document&limit=10`)).body;
    expect(events.length).toBeGreaterThanOrEqual(5);
    expect(events[0].action).toBe("document.created");
    const all = (await api.get(`/api/meetings/${meetingId}/audit?limit=1000`)).body as Array<{ hash: string; prevHash: string }>;
    for (let i = 1; i < all.length; i++) expect(all[i]!.prevHash).toBe(all[i - 1]!.hash);
  });
});
