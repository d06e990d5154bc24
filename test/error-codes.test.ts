/**
 * Every error answer carries a stable machine `code` beside its English sentence (and the
 * values the sentence names in `params`), so that a client can say it in the person's
 * language; the sentences themselves are unchanged. docs/API.md, "Error codes".
 */
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

describe("error codes", () => {
  it("sign-in, sessions and malformed requests answer with their codes", async () => {
    const wrong = await request(server.url, "POST", "/api/session", { body: { username: "arg.delegate", password: "nope" } });
    expect(wrong.status).toBe(401);
    expect(wrong.body).toMatchObject({ error: "wrong username or password", code: "session.wrong_password" });
    expect((await request(server.url, "GET", "/api/session")).body.code).toBe("session.required");
    const invalid = await request(server.url, "POST", "/api/session", { body: { username: "x" } });
    expect(invalid.status).toBe(400);
    expect(invalid.body.code).toBe("request.invalid");
    expect(invalid.body.reasons.join(" ")).toMatch(/password/);
    const res = await fetch(`${server.url}/api/session`, { method: "POST", headers: { "content-type": "application/json" }, body: "{not json" });
    expect(await res.json()).toMatchObject({ error: "the request body is not valid JSON", code: "request.not_json" });
    const api = await server.login("arg.delegate");
    expect((await api.get("/api/no-such-route")).body).toMatchObject({ code: "route.not_found" });
  });

  it("a missing thing is <noun>.not_found; a refusal names its code and the values its sentence names", async () => {
    const chair = await server.login("chair");
    const missing = await chair.get("/api/documents/no-such-document");
    expect(missing.status).toBe(404);
    expect(missing.body).toMatchObject({ error: "document not found", code: "document.not_found" });

    const declaration = server.demo.documents.declaration!;
    const state = (await chair.get(`/api/documents/${declaration}`)).body.state as string;
    const same = await chair.post(`/api/documents/${declaration}/transitions`, { to: state });
    expect(same.status).toBe(409);
    expect(same.body).toMatchObject({ error: `the document is already ${state}`, code: "transition.already", params: { state } });

    const delegate = await server.login("arg.delegate");
    const forbidden = await delegate.post(`/api/documents/${declaration}/transitions`, { to: "agreed_ad_ref" });
    expect(forbidden.status).toBe(403);
    expect(forbidden.body).toMatchObject({ code: "transition.forbidden", params: { to: "agreed_ad_ref" } });
    expect(forbidden.body.error).toMatch(/^only .* may agree ad referendum this document$/);
  });

  it("the reason a text is read-only has a code too", async () => {
    const observer = await server.login("observer");
    const doc = (await observer.get(`/api/documents/${server.demo.documents.declaration}`)).body;
    expect(doc.access).toMatchObject({ canWrite: false, reason: "observers have read-only access", reasonCode: "text.observer" });
    const delegate = await server.login("arg.delegate");
    expect((await delegate.get(`/api/documents/${server.demo.documents.declaration}`)).body.access).toEqual({ canWrite: true, reason: null, chair: false });
  });
});
