import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { request as httpRequest } from "node:http";
import { startTestServer, type TestServer } from "./helpers/server.js";
import { eventually } from "./helpers/collab.js";
import type { ApiClient } from "./helpers/api.js";

// Each test signs in from its own loopback address (127.0.0.0/8 all reach the server), so
// that the per-address limit of one test does not spill into another.
let server: TestServer;
let secretariat: ApiClient;
beforeAll(async () => {
  server = await startTestServer({ ACCORD_SIGNIN_ADDRESS_FAILURES: "15" });
  secretariat = await server.login("secretariat");
});
afterAll(async () => {
  await server?.stop();
});

interface Answer {
  status: number;
  retryAfter: string | undefined;
  body: any;
  /** The device cookie the server set, as `name=value`. */
  device: string | undefined;
}

/** POST /api/session from `localAddress`, with `cookie` if given. */
function signIn(username: string, password: string, localAddress: string, cookie?: string): Promise<Answer> {
  const url = new URL("/api/session", server.url);
  const body = JSON.stringify({ username, password });
  const headers: Record<string, string | number> = { "content-type": "application/json", "content-length": Buffer.byteLength(body) };
  if (cookie) headers.cookie = cookie;
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      url,
      { method: "POST", localAddress, headers },
      (res) => {
        let text = "";
        res.on("data", (d) => (text += d));
        const device = (res.headers["set-cookie"] ?? []).find((c) => c.startsWith("accord_device="))?.split(";")[0];
        res.on("end", () => resolve({ status: res.statusCode!, retryAfter: res.headers["retry-after"] as string | undefined, body: JSON.parse(text), device }));
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}

const PASSWORD = "accord-demo";

describe("sign-in that resists guessing", () => {
  it("after ten wrong passwords the right one is refused too, with 429, a reason and Retry-After", async () => {
    for (let i = 0; i < 10; i++) expect((await signIn("per.delegate", `guess-${i}`, "127.0.0.11")).status).toBe(401);
    const right = await signIn("per.delegate", PASSWORD, "127.0.0.11");
    expect(right.status).toBe(429);
    expect(right.body.error).toMatch(/locked.*whatever the password/);
    expect(Number(right.retryAfter)).toBeGreaterThan(800);
    // From anywhere: the lock is the username's.
    expect((await signIn("PER.delegate", PASSWORD, "127.0.0.21")).status).toBe(429);
    // Others from the same address are not affected (10 failures are below its limit of 15).
    expect((await signIn("bra.delegate", PASSWORD, "127.0.0.11")).status).toBe(200);
  });

  it("parallel guesses cannot slip past the limit: at most ten are checked", async () => {
    const answers = await Promise.all(Array.from({ length: 30 }, (_, i) => signIn("ury.delegate", `guess-${i}`, `127.0.1.${i + 1}`)));
    const checked = answers.filter((a) => a.status === 401).length;
    expect(checked).toBeLessThanOrEqual(10);
    expect(answers.filter((a) => a.status === 429).length).toBe(30 - checked);
    expect(answers.every((a) => a.status === 401 || a.retryAfter !== undefined)).toBe(true);
  });

  it("an unknown username answers exactly like a known one, lock included", async () => {
    const known: Answer[] = [];
    const unknown: Answer[] = [];
    for (let i = 0; i < 11; i++) {
      const [k, u] = await Promise.all([signIn("ecu.delegate", `guess-${i}`, "127.0.0.31"), signIn("nobody.here", `guess-${i}`, "127.0.0.32")]);
      known.push(k);
      unknown.push(u);
    }
    expect(unknown.map((a) => a.status)).toEqual(known.map((a) => a.status));
    expect(unknown.map((a) => a.body)).toEqual(known.map((a) => a.body));
    expect(unknown.map((a) => a.retryAfter === undefined)).toEqual(known.map((a) => a.retryAfter === undefined));
    expect(known.at(-1)!.status).toBe(429);
  });

  it("an address that sprays usernames is locked, for every username; other addresses are not", async () => {
    const spray = await Promise.all(Array.from({ length: 15 }, (_, i) => signIn(`sprayed-${i}`, "x", "127.0.0.41")));
    expect(spray.map((a) => a.status)).toEqual(Array(15).fill(401));
    const fromSprayer = await signIn("col.delegate", PASSWORD, "127.0.0.41");
    expect(fromSprayer.status).toBe(429);
    expect(fromSprayer.body.error).toMatch(/from this address/);
    expect((await signIn("col.delegate", PASSWORD, "127.0.0.42")).status).toBe(200);
  });

  it("a browser that signed in before (device cookie) gets in while its username and its address are locked", async () => {
    const first = await signIn("pan.delegate", PASSWORD, "127.0.0.51");
    expect(first.status).toBe(200);
    expect(first.device).toMatch(/^accord_device=/);
    // Someone else locks the username, and sprays from the same address.
    for (let i = 0; i < 10; i++) await signIn("pan.delegate", `guess-${i}`, "127.0.0.52");
    await Promise.all(Array.from({ length: 15 }, (_, i) => signIn(`venue-spray-${i}`, "x", "127.0.0.51")));
    expect((await signIn("pan.delegate", PASSWORD, "127.0.0.51")).status).toBe(429);
    expect((await signIn("pan.delegate", PASSWORD, "127.0.0.51", first.device)).status).toBe(200);
    // A device cookie is for its own account only, and a forged one is nothing.
    expect((await signIn("hti.delegate", PASSWORD, "127.0.0.51", first.device)).status).toBe(429);
    expect((await signIn("pan.delegate", PASSWORD, "127.0.0.51", `${first.device}x`)).status).toBe(429);
    // Wrong passwords from the device lock the device after ten.
    for (let i = 0; i < 10; i++) expect((await signIn("pan.delegate", `guess-${i}`, "127.0.0.51", first.device)).status).toBe(401);
    expect((await signIn("pan.delegate", PASSWORD, "127.0.0.51", first.device)).status).toBe(429);
  });

  it("failed, locked and refused sign-ins are in the audit trail, which only the secretariat sees", async () => {
    const meeting = server.demo.meetingId;
    const events = async (api: ApiClient, query: string) => (await api.get(`/api/meetings/${meeting}/audit?limit=1000&${query}`)).body as any[];
    let mine: any[] = [];
    const perId = server.demo.users["per.delegate"]!.id;
    await eventually(async () => {
      mine = (await events(secretariat, "action=session")).filter((e) => e.targetId === perId);
      return mine.some((e) => e.action === "session.refused");
    }, 5000, "sign-in events recorded");
    expect(mine.filter((e) => e.action === "session.failed")).toHaveLength(10);
    expect(mine.filter((e) => e.action === "session.failed").every((e) => e.details.address === "127.0.0.11")).toBe(true);
    const locked = mine.filter((e) => e.action === "session.locked");
    expect(locked).toHaveLength(1);
    expect(locked[0].details.scope).toBe("username");
    const refused = mine.filter((e) => e.action === "session.refused");
    expect(refused.reduce((n, e) => n + e.details.attempts, 0)).toBe(2);
    // The sprayed address's lock, when it names a real account, is recorded too.
    const colId = server.demo.users["col.delegate"]!.id;
    expect((await events(secretariat, "action=session.refused")).some((e) => e.targetId === colId && e.details.scope === "address")).toBe(true);

    for (const username of ["arg.delegate", "chair", "observer"]) {
      const api = await server.login(username);
      const seen = await events(api, "");
      expect(seen.length).toBeGreaterThan(0);
      expect(seen.filter((e) => e.action.startsWith("session."))).toEqual([]);
      expect(await events(api, "action=session")).toEqual([]);
    }
  });

  it("audit filters are literal: LIKE wildcards match nothing", async () => {
    const all = await secretariat.get(`/api/meetings/${server.demo.meetingId}/audit?limit=1000`);
    expect(all.body.length).toBeGreaterThan(5);
    for (const wildcard of ["%25", "_", "%25ession", "_ession", "session%25", "\\"]) {
      const res = await secretariat.get(`/api/meetings/${server.demo.meetingId}/audit?action=${wildcard}`);
      expect(res.status).toBe(200);
      expect(res.body).toEqual([]);
    }
    expect((await secretariat.get(`/api/meetings/${server.demo.meetingId}/audit?action=session`)).body.length).toBeGreaterThan(0);
  });
});
