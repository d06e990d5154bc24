/**
 * The person's own preferences, remembered on the server whatever browser they use: the
 * interface language they chose (GET/PUT /api/me/preferences), which the session answer
 * carries so that the editor speaks it at sign-in.
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

describe("preferences", () => {
  it("a person's interface language is remembered with them, for every later session, and can be forgotten", async () => {
    const first = await server.login("chl.delegate");
    expect((await first.get("/api/me/preferences")).body).toEqual({ language: null });
    expect((await first.get("/api/session")).body.user.language).toBeNull();
    const put = await first.put("/api/me/preferences", { language: "es" });
    expect(put.status).toBe(200);
    expect(put.body).toEqual({ language: "es" });
    // Another sign-in (another browser) is told at once.
    const second = await server.login("chl.delegate");
    expect((await second.get("/api/session")).body.user.language).toBe("es");
    expect((await second.get("/api/me/preferences")).body).toEqual({ language: "es" });
    // It is the person's own: someone else's is untouched.
    expect((await (await server.login("arg.delegate")).get("/api/me/preferences")).body).toEqual({ language: null });
    // Every language the interface is written in is kept.
    for (const language of ["fr", "pt"]) {
      expect((await second.put("/api/me/preferences", { language })).body).toEqual({ language });
      expect((await first.get("/api/session")).body.user.language).toBe(language);
    }
    expect((await second.put("/api/me/preferences", { language: null })).body).toEqual({ language: null });
    expect((await first.get("/api/session")).body.user.language).toBeNull();
  });

  it("refuses a language the interface does not have, other fields, no session and no CSRF token", async () => {
    const api = await server.login("chl.delegate");
    const unknown = await api.put("/api/me/preferences", { language: "de" });
    expect(unknown.status).toBe(400);
    expect(unknown.body.code).toBe("request.invalid");
    expect(unknown.body.reasons.join(" ")).toMatch(/language/);
    expect((await api.put("/api/me/preferences", { language: "es", theme: "dark" })).status).toBe(400);
    expect((await api.put("/api/me/preferences", {})).status).toBe(400);
    expect((await request(server.url, "GET", "/api/me/preferences")).status).toBe(401);
    const noToken = await request(server.url, "PUT", "/api/me/preferences", { body: { language: "es" }, cookie: api.cookie });
    expect(noToken.status).toBe(403);
    expect((await api.get("/api/me/preferences")).body).toEqual({ language: null });
  });
});
