import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as Y from "yjs";
import WebSocket from "ws";
import { ADMIN_PASSWORD, startEmptyServer, type EmptyServer } from "./helpers/server.js";
import { request, type ApiClient } from "./helpers/api.js";
import { collabClient, eventually } from "./helpers/collab.js";
import { textFragment } from "../schema/index.js";
import { verifyAuditChain } from "../server/audit/audit.js";

// As a new user would: a fresh database without the demo, the first administrator, a
// meeting of 12 delegations in two languages, 40 members from CSV, setup links, a blank
// document co-edited by two delegates; then a second meeting sharing one person.

const DELEGATIONS = ["ARG", "BRA", "CHL", "COL", "MEX", "PER", "URY", "PRY", "ECU", "BOL", "CAN", "USA"];
const PASSWORD = "a long enough password";

let server: EmptyServer;
let admin: ApiClient;
let meetingId: string;
let secretariat: ApiClient;
let created: Array<{ member: { userId: string; username: string; role: string }; setupUrl: string }>;

/** Chooses a password with a setup link and signs in with it. */
async function useLink(setupUrl: string, username: string, password = PASSWORD): Promise<ApiClient> {
  const path = new URL(setupUrl).pathname.replace(/^\/setup\//, "/api/setup/");
  const res = await request(server.url, "POST", path, { body: { password } });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return server.login(username, password);
}

/** Sends a CSV body as the secretariat (fetch, since the helper sends JSON). */
async function importCsv(client: ApiClient, id: string, csv: string): Promise<{ status: number; body: any }> {
  const res = await fetch(`${server.url}/api/meetings/${id}/members/import`, {
    method: "POST",
    headers: { "content-type": "text/csv", cookie: client.cookie, "x-csrf-token": client.csrfToken },
    body: csv,
  });
  return { status: res.status, body: await res.json() };
}

function memberCsv(): string {
  const lines = ["username,displayName,role,delegation,email"];
  lines.push("m1.chair,Chair of the meeting,chair,ARG,chair@example.org");
  lines.push("m1.rapporteur,Rapporteur,rapporteur,,");
  lines.push('m1.observer,"Observer, civil society",observer,,');
  lines.push("wg.chair,Working group coordinator,chair,,");
  for (const code of DELEGATIONS) {
    lines.push(`${code.toLowerCase()}.d1,Delegate of ${code},delegate,${code},`);
    lines.push(`${code.toLowerCase()}.d2,Second delegate of ${code},delegate,${code.toLowerCase()},`);
    lines.push(`${code.toLowerCase()}.min,Minister of ${code},minister,${code},`);
  }
  // A byte order mark and CRLF line ends, as a spreadsheet writes them.
  return `\uFEFF${lines.join("\r\n")}\r\n`;
}

beforeAll(async () => {
  server = await startEmptyServer();
  admin = await server.login("admin", ADMIN_PASSWORD);
});
afterAll(async () => {
  await server?.stop();
});

describe("setting up a meeting from nothing", () => {
  it("the first administrator is in no meeting and creates one; others may not", async () => {
    const session = await admin.get("/api/session");
    expect(session.body.user).toMatchObject({ username: "admin", role: "admin", admin: true, meetingId: null, memberships: [] });
    expect((await admin.get("/api/meetings")).body).toEqual([]);

    const bad = await admin.post("/api/meetings", {
      title: "Bad",
      seriesSymbol: "X",
      languages: ["en", "xx"],
      delegations: ["ARG", "ZZZ", "ARG"],
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error).toMatch(/languages/);
    const unknown = await admin.post("/api/meetings", { title: "Bad", seriesSymbol: "X", languages: ["en"], delegations: ["ARG", "ZZZ", "ARG"] });
    expect(unknown.status).toBe(400);
    expect(unknown.body.reasons).toEqual(["ZZZ is not a known state, group or organisation", "ARG is listed twice"]);

    const res = await admin.post("/api/meetings", {
      title: "First Meeting of Ministers of Justice",
      seriesSymbol: "MJ-I",
      venue: "Lima, Peru",
      startsOn: "2027-05-10",
      endsOn: "2027-05-12",
      languages: ["en", "es"],
      delegations: [...DELEGATIONS, "EU", "CARICOM", "UNODC"],
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ title: "First Meeting of Ministers of Justice", languages: ["en", "es"] });
    meetingId = res.body.id;
    const delegations = (await admin.get(`/api/meetings/${meetingId}/delegations`)).body;
    expect(delegations).toHaveLength(15);
    expect(delegations.find((d: any) => d.code === "MEX")).toMatchObject({ name: "Mexico", nameEs: "México", member: true });
    expect(delegations.find((d: any) => d.code === "EU")).toMatchObject({ member: false });
  });

  it("the administrator appoints the secretariat, who chooses a password once with the link", async () => {
    const res = await admin.post(`/api/meetings/${meetingId}/members`, { username: "mj.secretariat", displayName: "Secretariat", role: "secretariat" });
    expect(res.status).toBe(201);
    expect(res.body.member).toMatchObject({ username: "mj.secretariat", role: "secretariat", active: true, hasPassword: false });
    expect(res.body.setupUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/setup\/[A-Za-z0-9_-]{20,}$/);
    const path = new URL(res.body.setupUrl).pathname.replace("/setup/", "/api/setup/");

    expect((await request(server.url, "GET", path)).body).toMatchObject({ username: "mj.secretariat" });
    const weak = await request(server.url, "POST", path, { body: { password: "short" } });
    expect(weak.status).toBe(400);
    expect(weak.body.error).toMatch(/at least 12 characters/);
    secretariat = await useLink(res.body.setupUrl, "mj.secretariat");
    const again = await request(server.url, "POST", path, { body: { password: PASSWORD } });
    expect(again.status).toBe(410);
    expect(again.body.error).toMatch(/already been used/);
    expect(secretariat.user).toMatchObject({ role: "secretariat", meetingId, memberships: [{ meetingId, role: "secretariat", delegation: null, chairOf: [] }] });
  });

  it("a wrong member list is refused line by line and nothing is created", async () => {
    const header = await importCsv(secretariat, meetingId, "user,name\nx,y\n");
    expect(header.status).toBe(400);
    expect(header.body.errors).toEqual([{ line: 1, error: 'the header is "user,name"; it must be username,displayName,role,delegation,email (and ,languages for translators)' }]);

    const csv = [
      "username,displayName,role,delegation,email",
      "ok.one,Fine,delegate,ARG,",
      "bad.role,Bad role,king,ARG,",
      "bad.deleg,Not a member delegation,delegate,FRA,",
      "ok.one,Same username again,observer,,",
      "no.deleg,Minister without delegation,minister,,",
      "too,few,fields",
    ].join("\n");
    const res = await importCsv(secretariat, meetingId, csv);
    expect(res.status).toBe(400);
    expect(res.body.error).toBe("5 lines are wrong; nobody was added");
    expect(res.body.errors.map((e: any) => e.line)).toEqual([3, 4, 5, 6, 7]);
    expect(res.body.errors[0].error).toMatch(/unknown role "king"/);
    expect(res.body.errors[1].error).toBe("delegation FRA is not a member of this meeting");
    expect(res.body.errors[2].error).toBe("ok.one is already a member of this meeting");
    expect(res.body.errors[3].error).toBe("a minister must belong to a delegation");
    const members = (await secretariat.get(`/api/meetings/${meetingId}/members`)).body;
    expect(members.map((m: any) => m.username)).toEqual(["mj.secretariat"]);
  });

  it("imports 40 members from a spreadsheet's CSV (BOM, CRLF, quotes), each with a setup link", async () => {
    const res = await importCsv(secretariat, meetingId, memberCsv());
    expect(res.status, JSON.stringify(res.body.errors)).toBe(201);
    created = res.body.created;
    expect(created).toHaveLength(40);
    expect(new Set(created.map((c) => c.setupUrl)).size).toBe(40);
    const members = (await secretariat.get(`/api/meetings/${meetingId}/members`)).body;
    expect(members).toHaveLength(41);
    expect(members.find((m: any) => m.username === "m1.observer")).toMatchObject({ displayName: "Observer, civil society", role: "observer" });
    expect(members.find((m: any) => m.username === "bra.d2")).toMatchObject({ delegation: "BRA", hasPassword: false });
    // Until they choose a password nobody can sign in as them.
    expect((await request(server.url, "POST", "/api/session", { body: { username: "bra.d2", password: "" } })).status).toBe(400);
  });

  it("imports translators with their languages from an optional last column, refusing a language the meeting has not or languages for another role", async () => {
    const header = "username,displayName,role,delegation,email,languages";
    const wrong = await importCsv(secretariat, meetingId, [header, "t.none,No language,translator,,,", "t.fr,French,translator,,,fr", "arg.lang,Delegate,delegate,ARG,,es", "t.short,Five fields,translator,,"].join("\n"));
    expect(wrong.status).toBe(400);
    expect(wrong.body.errors).toEqual([
      { line: 2, error: "a translator translates into at least one of the meeting's languages" },
      { line: 3, error: 'the meeting has no language "fr" (it works in en, es)' },
      { line: 4, error: "only a translator has languages; a delegate has none" },
      { line: 5, error: `5 fields; a line has 6: ${header}` },
    ]);
    const ok = await importCsv(secretariat, meetingId, [header, "t.es,Spanish translator,translator,,t.es@example.org,es", "t.both,Both ways,translator,,,EN; es", "arg.plain,No languages,delegate,ARG,,"].join("\r\n"));
    expect(ok.status, JSON.stringify(ok.body.errors)).toBe(201);
    const members = (await secretariat.get(`/api/meetings/${meetingId}/members`)).body as Array<{ username: string; role: string; languages: string[] }>;
    expect(members.find((m) => m.username === "t.es")).toMatchObject({ role: "translator", languages: ["es"] });
    expect(members.find((m) => m.username === "t.both")).toMatchObject({ role: "translator", languages: ["en", "es"] });
    expect(members.find((m) => m.username === "arg.plain")).toMatchObject({ role: "delegate", languages: [] });
  });

  it("bodies need chairs who are members; only the secretariat creates bodies and documents", async () => {
    const notMember = await secretariat.post(`/api/meetings/${meetingId}/bodies`, {
      kind: "plenary",
      name: "Plenary",
      shortName: "Plenary",
      chairs: ["m1.chair", "nobody.here"],
    });
    expect(notMember.status).toBe(400);
    expect(notMember.body.error).toBe("chair nobody.here is not a member of this meeting");
    const plenary = await secretariat.post(`/api/meetings/${meetingId}/bodies`, { kind: "plenary", name: "Plenary", shortName: "Plenary", chairs: ["m1.chair"] });
    expect(plenary.status).toBe(201);
    expect(plenary.body.chairs).toEqual([{ username: "m1.chair", displayName: "Chair of the meeting" }]);
    const wg = await secretariat.post(`/api/meetings/${meetingId}/bodies`, {
      kind: "working_group",
      name: "Working Group on Cooperation",
      shortName: "WG1",
      chairs: ["wg.chair"],
    });
    expect(wg.status).toBe(201);
    const bodies = (await secretariat.get(`/api/meetings/${meetingId}/bodies`)).body;
    expect(bodies.map((b: any) => b.shortName)).toEqual(["Plenary", "WG1"]);

    const chair = await useLink(created.find((c) => c.member.username === "m1.chair")!.setupUrl, "m1.chair");
    expect(chair.user.chairOf).toEqual([plenary.body.id]);
    const refusedBody = await chair.post(`/api/meetings/${meetingId}/bodies`, { kind: "ad_hoc_group", name: "Mine", shortName: "Mine" });
    expect(refusedBody.status).toBe(403);
    expect(refusedBody.body.error).toBe("only the meeting's secretariat may create bodies");
    const refusedDoc = await chair.post(`/api/meetings/${meetingId}/documents`, { bodyId: plenary.body.id, kind: "resolution", title: "Mine" });
    expect(refusedDoc.status).toBe(403);
    expect((await chair.post(`/api/meetings/${meetingId}/members`, { username: "x1", displayName: "X", role: "observer" })).status).toBe(403);
    expect((await chair.patch(`/api/meetings/${meetingId}`, { title: "Mine" })).status).toBe(403);
  });

  it("a blank document opens with its title and one empty operative paragraph; two delegates co-edit it", async () => {
    const bodies = (await secretariat.get(`/api/meetings/${meetingId}/bodies`)).body;
    const wrongLanguage = await secretariat.post(`/api/meetings/${meetingId}/documents`, {
      bodyId: bodies[0].id,
      kind: "resolution",
      title: "Draft resolution",
      language: "fr",
    });
    expect(wrongLanguage.status).toBe(400);
    expect(wrongLanguage.body.error).toBe("fr is not a language of this meeting (en, es)");
    const res = await secretariat.post(`/api/meetings/${meetingId}/documents`, { bodyId: bodies[0].id, kind: "resolution", title: "Draft resolution" });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ kind: "resolution", symbol: "MJ-I/doc.1", state: "draft", language: "en", meetingId });
    const docId = res.body.id;
    const content = (await secretariat.get(`/api/documents/${docId}/content`)).body.canonical;
    expect(content.paragraphs.map((p: any) => [p.kind, p.text])).toEqual([
      ["title", "Draft resolution"],
      ["op", ""],
    ]);

    const arg = await useLink(created.find((c) => c.member.username === "arg.d1")!.setupUrl, "arg.d1");
    const bra = await useLink(created.find((c) => c.member.username === "bra.d1")!.setupUrl, "bra.d1");
    const a = collabClient(server.url, docId, arg.cookie);
    const b = collabClient(server.url, docId, bra.cookie);
    try {
      await Promise.all([a.synced, b.synced]);
      // An empty paragraph has no text node yet; the first to type creates it, as y-prosemirror does.
      const paragraph = (doc: Y.Doc) => textFragment(doc).get(1) as Y.XmlElement;
      const op = (doc: Y.Doc) => paragraph(doc).get(0) as Y.XmlText;
      expect(paragraph(a.doc).length).toBe(0);
      paragraph(a.doc).insert(0, [new Y.XmlText("Urges States ")]);
      await eventually(() => paragraph(b.doc).length > 0 && op(b.doc).toString().includes("Urges"), 5000, "the first words at the other client");
      op(b.doc).insert(op(b.doc).length, "to cooperate.");
      await eventually(async () => {
        const text = (await arg.get(`/api/documents/${docId}/content`)).body.canonical.paragraphs[1].text;
        return text === "Urges States to cooperate.";
      }, 5000, "both edits on the server");
      expect(a.denials).toEqual([]);
      expect(b.denials).toEqual([]);
    } finally {
      a.destroy();
      b.destroy();
    }

    const withText = await secretariat.post(`/api/meetings/${meetingId}/documents`, {
      bodyId: bodies[1].id,
      kind: "report",
      title: "Report of WG1",
      symbol: "MJ-I/WG1/1",
      language: "es",
      content: { text: "First finding.\r\nSecond finding.\n" },
    });
    expect(withText.status).toBe(201);
    const two = (await secretariat.get(`/api/documents/${withText.body.id}/content`)).body.canonical.paragraphs;
    expect(two.map((p: any) => p.text)).toEqual(["Report of WG1", "First finding.", "Second finding."]);
    const pm = await secretariat.post(`/api/meetings/${meetingId}/documents`, {
      bodyId: bodies[1].id,
      kind: "decision",
      title: "Decision",
      content: { type: "doc", content: [{ type: "paragraph", attrs: { kind: "pp", level: 0 }, content: [{ type: "text", text: "Recalling" }] }] },
    });
    expect(pm.status, JSON.stringify(pm.body)).toBe(201);
    const badPm = await secretariat.post(`/api/meetings/${meetingId}/documents`, {
      bodyId: bodies[1].id,
      kind: "decision",
      title: "Decision",
      content: { type: "doc", content: [{ type: "script", content: [] }] },
    });
    expect(badPm.status).toBe(400);
    const documents = (await secretariat.get(`/api/meetings/${meetingId}/documents`)).body;
    expect(documents).toHaveLength(3);
  });
});

describe("a second meeting on the same server", () => {
  let second: string;
  let secretariat2: ApiClient;

  it("shares a person whose role there differs; every check uses the membership of the owning meeting", async () => {
    const res = await admin.post("/api/meetings", {
      title: "Second Meeting",
      seriesSymbol: "MJ-II",
      languages: ["es"],
      delegations: ["ARG", "CHL"],
    });
    expect(res.status).toBe(201);
    second = res.body.id;
    const appointed = await admin.post(`/api/meetings/${second}/members`, { username: "mj2.secretariat", displayName: "Secretariat 2", role: "secretariat" });
    secretariat2 = await useLink(appointed.body.setupUrl, "mj2.secretariat");

    // arg.d1 (a delegate of ARG in the first meeting) is an observer here: no new account, no link.
    const shared = await secretariat2.post(`/api/meetings/${second}/members`, { username: "ARG.D1", displayName: "ignored", role: "observer" });
    expect(shared.status).toBe(201);
    expect(shared.body.setupUrl).toBeNull();
    expect(shared.body.member).toMatchObject({ username: "arg.d1", displayName: "Delegate of ARG", role: "observer", hasPassword: true });
    const dup = await secretariat2.post(`/api/meetings/${second}/members`, { username: "arg.d1", displayName: "X", role: "observer" });
    expect(dup.status).toBe(409);
    expect(dup.body.error).toBe("arg.d1 is already a member of this meeting");

    const body = await secretariat2.post(`/api/meetings/${second}/bodies`, { kind: "plenary", name: "Plenario", shortName: "Plenario" });
    const doc = await secretariat2.post(`/api/meetings/${second}/documents`, { bodyId: body.body.id, kind: "declaration", title: "Declaración" });
    expect(doc.status).toBe(201);

    const arg = await server.login("arg.d1", PASSWORD);
    const user = arg.user as typeof arg.user & { memberships: unknown[] };
    expect(user.memberships).toHaveLength(2);
    expect(user.memberships).toContainEqual({ meetingId: second, role: "observer", delegation: null, chairOf: [] });
    expect(user.memberships).toContainEqual({ meetingId, role: "delegate", delegation: "ARG", chairOf: [] });
    const home = (await arg.get("/api/meetings")).body;
    expect(home.map((m: any) => [m.title, m.role])).toEqual(
      expect.arrayContaining([
        ["Second Meeting", "observer"],
        ["First Meeting of Ministers of Justice", "delegate"],
      ]),
    );
    // An observer in the second meeting: the server refuses their edits there.
    const own = await arg.get(`/api/documents/${doc.body.id}`);
    expect(own.body.access).toMatchObject({ canWrite: false, reason: "observers have read-only access" });
    const client = collabClient(server.url, doc.body.id, arg.cookie);
    try {
      await client.synced;
      (textFragment(client.doc).get(1) as Y.XmlElement).insert(0, [new Y.XmlText("not allowed")]);
      await eventually(() => client.denials.length > 0, 5000, "the refusal");
    } finally {
      client.destroy();
    }
    const text = (await secretariat2.get(`/api/documents/${doc.body.id}/content`)).body.canonical.paragraphs[1].text;
    expect(text).toBe("");
  });

  it("refuses every cross-meeting action", async () => {
    const firstDocs = (await secretariat.get(`/api/meetings/${meetingId}/documents`)).body;
    // The second meeting's secretariat is nobody in the first.
    for (const [method, path, body] of [
      ["GET", `/api/meetings/${meetingId}`],
      ["GET", `/api/meetings/${meetingId}/members`],
      ["PATCH", `/api/meetings/${meetingId}`, { title: "Taken over" }],
      ["POST", `/api/meetings/${meetingId}/members`, { username: "spy", displayName: "Spy", role: "secretariat" }],
      ["POST", `/api/meetings/${meetingId}/bodies`, { kind: "ad_hoc_group", name: "X", shortName: "X" }],
      ["POST", `/api/meetings/${meetingId}/documents`, { bodyId: "b", kind: "decision", title: "X" }],
      ["GET", `/api/documents/${firstDocs[0].id}`],
      ["POST", `/api/documents/${firstDocs[0].id}/versions`, { label: "Rev" }],
    ] as const) {
      const res = await (secretariat2 as any)[method.toLowerCase()](path, body);
      expect(res.status, `${method} ${path}`).toBe(404);
      expect(typeof res.body.error).toBe("string");
    }
    const members = (await secretariat.get(`/api/meetings/${meetingId}/members`)).body;
    const chairId = members.find((m: any) => m.username === "m1.chair").userId;
    const change = await secretariat2.patch(`/api/meetings/${meetingId}/members/${chairId}`, { role: "observer" });
    expect(change.status).toBe(404);
    // A person of both meetings: the second meeting's secretariat may not reset their password.
    const argId = members.find((m: any) => m.username === "arg.d1").userId;
    const reset = await secretariat2.patch(`/api/meetings/${second}/members/${argId}`, { resetPassword: true });
    expect(reset.status).toBe(403);
    expect(reset.body.error).toMatch(/also a member of another meeting/);
    // A websocket onto another meeting's document is refused before anything is read.
    const ws = new WebSocket(`${server.url.replace("http", "ws")}/collab/${firstDocs[0].id}`, { headers: { cookie: secretariat2.cookie } });
    const code = await new Promise<number>((resolve) => ws.on("close", (c) => resolve(c)));
    expect(code).toBe(4404);
  });

  it("a role change and a deactivation take effect at once, sessions and websockets included; all audited", async () => {
    const members = (await secretariat.get(`/api/meetings/${meetingId}/members`)).body;
    const bra = members.find((m: any) => m.username === "bra.d1");
    const unknownRole = await secretariat.patch(`/api/meetings/${meetingId}/members/${bra.userId}`, { role: "emperor" });
    expect(unknownRole.status).toBe(400);
    expect(unknownRole.body.error).toMatch(/unknown role "emperor"/);
    const notMember = await secretariat.patch(`/api/meetings/${meetingId}/members/${bra.userId}`, { delegation: "FRA" });
    expect(notMember.body.error).toBe("delegation FRA is not a member of this meeting");

    const client = await server.login("bra.d1", PASSWORD);
    const docId = (await secretariat.get(`/api/meetings/${meetingId}/documents`)).body[0].id;
    const open = collabClient(server.url, docId, client.cookie);
    await open.synced;
    let closedWith = 0;
    (open.provider.ws as unknown as WebSocket).on("close", (c: number) => (closedWith = c));
    const res = await secretariat.patch(`/api/meetings/${meetingId}/members/${bra.userId}`, { active: false });
    expect(res.status).toBe(200);
    expect(res.body.active).toBe(false);
    await eventually(() => closedWith !== 0, 5000, "the websocket closed");
    open.destroy();
    expect(closedWith).toBe(4401);
    expect((await client.get("/api/session")).status).toBe(401);
    const signIn = await request(server.url, "POST", "/api/session", { body: { username: "bra.d1", password: PASSWORD } });
    expect(signIn.status).toBe(403);

    const reset = await secretariat.patch(`/api/meetings/${meetingId}/members/${members.find((m: any) => m.username === "chl.d1").userId}`, {
      resetPassword: true,
    });
    expect(reset.body.setupUrl).toMatch(/\/setup\//);
    const chair = members.find((m: any) => m.username === "m1.rapporteur");
    expect((await secretariat.patch(`/api/meetings/${meetingId}/members/${chair.userId}`, { role: "observer" })).status).toBe(200);

    const audit = (await secretariat.get(`/api/meetings/${meetingId}/audit?limit=1000`)).body as Array<{ action: string }>;
    const actions = new Set(audit.map((e) => e.action));
    for (const action of [
      "meeting.created",
      "member.added",
      "member.setup_link_issued",
      "member.password_set",
      "member.deactivated",
      "member.role_changed",
      "body.created",
      "document.created",
    ])
      expect(actions, action).toContain(action);
    expect(verifyAuditChain(server.ctx.db).ok).toBe(true);
  });

  it("handles a list of 10,000 members and refuses one longer", async () => {
    const res = await admin.post("/api/meetings", { title: "Large", seriesSymbol: "L", languages: ["en"], delegations: ["ARG"] });
    const big = res.body.id;
    const lines = ["username,displayName,role,delegation,email"];
    for (let i = 0; i < 10_001; i++) lines.push(`big${i},Person ${i},delegate,ARG,`);
    const tooMany = await importCsv(admin, big, lines.join("\n"));
    expect(tooMany.status).toBe(400);
    expect(tooMany.body.errors).toEqual([{ line: 10_002, error: "a file may add at most 10000 members; split it" }]);
    const ok = await importCsv(admin, big, lines.slice(0, 10_001).join("\n"));
    expect(ok.status).toBe(201);
    expect(ok.body.created).toHaveLength(10_000);
  }, 240_000);
});
