import { afterAll, beforeAll, describe, expect, it } from "vitest";
import WebSocket from "ws";
import { startTestServer, type TestServer } from "./helpers/server.js";
import { eventually } from "./helpers/collab.js";

// Two servers: one reached directly (no proxy trusted), one behind a proxy on loopback.
let direct: TestServer;
let proxied: TestServer;
beforeAll(async () => {
  [direct, proxied] = await Promise.all([startTestServer(), startTestServer({ ACCORD_TRUST_PROXY: "loopback" })]);
});
afterAll(async () => {
  await Promise.all([direct?.stop(), proxied?.stop()]);
});

async function signIn(server: TestServer, headers: Record<string, string>, username = "arg.delegate", password = "accord-demo") {
  return fetch(`${server.url}/api/session`, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify({ username, password }),
  });
}

const sessionCookie = (res: Response) => res.headers.getSetCookie().find((c) => c.startsWith("accord_session="))!;

describe("cookies, origins and proxies", () => {
  it("the session cookie is Secure when the request came over HTTPS, as a trusted proxy says, and only then", async () => {
    expect(sessionCookie(await signIn(direct, {}))).not.toMatch(/;\s*Secure/i);
    // A client cannot claim HTTPS itself: the header counts only from a trusted proxy.
    expect(sessionCookie(await signIn(direct, { "x-forwarded-proto": "https" }))).not.toMatch(/;\s*Secure/i);
    expect(sessionCookie(await signIn(proxied, { "x-forwarded-proto": "https" }))).toMatch(/;\s*Secure/i);
    expect(sessionCookie(await signIn(proxied, { "x-forwarded-proto": "http" }))).not.toMatch(/;\s*Secure/i);
  });

  it("the origin check compares scheme, host and port", async () => {
    const port = new URL(proxied.url).port;
    const api = await proxied.login("secretariat");
    const docId = proxied.demo.documents.declaration!;
    const post = (origin: string, proto?: string) =>
      fetch(`${proxied.url}/api/documents/${docId}/versions`, {
        method: "POST",
        headers: { "content-type": "application/json", cookie: api.cookie, "x-csrf-token": api.csrfToken, origin, ...(proto ? { "x-forwarded-proto": proto } : {}) },
        body: JSON.stringify({ label: "Origin check" }),
      });
    expect((await post(`http://127.0.0.1:${port}`)).status).toBe(201);
    expect((await post(`https://127.0.0.1:${port}`, "https")).status).toBe(201);
    expect((await post(`http://127.0.0.1:${port}`, "https")).status).toBe(403); // scheme differs
    expect((await post(`https://127.0.0.1:${port}`)).status).toBe(403);
    expect((await post(`http://127.0.0.1:${Number(port) + 1}`)).status).toBe(403); // port differs
    expect((await post(`http://localhost:${port}`)).status).toBe(403); // host differs
    expect((await post("null")).status).toBe(403);
    // The websocket upgrade makes the same check.
    const upgrade = (origin: string) =>
      new Promise<number>((resolve) => {
        const ws = new WebSocket(`${proxied.url.replace("http", "ws")}/collab/${docId}`, { headers: { cookie: api.cookie, origin } });
        ws.on("unexpected-response", (_req, res) => resolve(res.statusCode!));
        ws.on("open", () => (resolve(101), ws.close()));
        ws.on("error", () => undefined);
      });
    expect(await upgrade(`http://127.0.0.1:${port}`)).toBe(101);
    expect(await upgrade(`http://127.0.0.1:${Number(port) + 1}`)).toBe(403);
    expect(await upgrade(`https://127.0.0.1:${port}`)).toBe(403);
  });

  it("the client's address is the socket's, or the one a trusted proxy names in X-Forwarded-For", async () => {
    for (const server of [direct, proxied]) {
      expect((await signIn(server, { "x-forwarded-for": "203.0.113.9" }, "bra.delegate", "wrong")).status).toBe(401);
      const secretariat = await server.login("secretariat");
      let failed: any;
      await eventually(async () => {
        const events = (await secretariat.get(`/api/meetings/${server.demo.meetingId}/audit?action=session.failed`)).body as any[];
        failed = events.find((e) => e.username === "bra.delegate");
        return failed !== undefined;
      }, 5000, "failed sign-in recorded");
      expect(failed.details.address).toBe(server === proxied ? "203.0.113.9" : "127.0.0.1");
    }
  });

  it("every answer carries the Content Security Policy, the editor page first", async () => {
    for (const path of ["/", "/documents/x", "/api/meetings"]) {
      const csp = (await fetch(`${direct.url}${path}`)).headers.get("content-security-policy") ?? "";
      expect(csp).toContain("script-src 'self'");
      expect(csp).toContain("object-src 'none'");
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).not.toMatch(/script-src[^;]*unsafe/);
    }
  });
});
