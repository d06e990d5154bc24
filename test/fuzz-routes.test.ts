import { afterAll, beforeAll, describe, expect, it } from "vitest";
import fc from "fast-check";
import { request as httpRequest } from "node:http";
import type { Express } from "express";
import { startTestServer, type TestServer } from "./helpers/server.js";
import type { ApiClient } from "./helpers/api.js";

// Every route of the running app, every role, arbitrary bodies and queries: the answer is
// never a 5xx, an error is always JSON with a sentence, and the server stays up. Routes
// are read from the app's own router, so routes added later are fuzzed without a word here.
const SEED = Number(process.env.FUZZ_SEED ?? 20261202);
// On PostgreSQL every statement is a round trip to another process: the same walk with a
// third of the runs there (its own seed's first cases, so the stores see the same requests)
// keeps the postgres project within its time; FUZZ_RUNS sets either.
const ON_POSTGRES = process.env.ACCORD_TEST_STORE === "postgres";
// Runs per route; routes that take a body get ten times as many.
const RUNS_PER_ROUTE = Number(process.env.FUZZ_RUNS ?? (ON_POSTGRES ? 2 : 6));
const ROLES = ["secretariat", "chair", "arg.delegate", "observer", "rapporteur", "arg.minister"];

let server: TestServer;
const clients = new Map<string, ApiClient>();
beforeAll(async () => {
  server = await startTestServer({ ACCORD_REQUESTS_PER_MINUTE: "1000000" });
  for (const role of ROLES) clients.set(role, await server.login(role));
});
afterAll(async () => {
  await server?.stop();
});

interface Route {
  method: string;
  path: string;
}

/** The routes of an express 5 app, found by walking its router stack (nested routers too). */
function routesOf(app: Express): Route[] {
  const found: Route[] = [];
  const walk = (stack: any[]) => {
    for (const layer of stack) {
      if (layer.route) {
        const paths = Array.isArray(layer.route.path) ? layer.route.path : [layer.route.path];
        for (const path of paths) {
          if (typeof path !== "string") continue;
          for (const method of Object.keys(layer.route.methods)) if (method !== "_all") found.push({ method: method.toUpperCase(), path });
        }
      } else if (layer.handle?.stack) walk(layer.handle.stack);
    }
  };
  walk((app as any).router.stack);
  const seen = new Set<string>();
  return found.filter((r) => r.path.startsWith("/api/") && !seen.has(`${r.method} ${r.path}`) && seen.add(`${r.method} ${r.path}`));
}

/** Real ids for route parameters, so that the fuzzed bodies reach the handlers' code, not only their 404. */
async function knownIds(): Promise<Record<string, string[]>> {
  const api = clients.get("secretariat")!;
  const doc = server.demo.documents.declaration!;
  const paragraphs = (await api.get(`/api/documents/${doc}/content`)).body.canonical.paragraphs.map((p: any) => p.id);
  const amendments = ((await api.get(`/api/documents/${doc}/amendments`)).body as any[]).map((a) => a.id);
  const brackets = ((await api.get(`/api/documents/${doc}/brackets`)).body.brackets as any[]).map((b) => b.id);
  const versions = ((await api.get(`/api/documents/${doc}/versions`)).body as any[]).map((v) => v.id);
  return {
    meetings: [server.demo.meetingId],
    documents: Object.values(server.demo.documents),
    amendments,
    brackets,
    paragraphs,
    versions,
  };
}

/** The value for a route parameter: mostly a real id of the right kind, sometimes anything. */
function paramValue(path: string, name: string, ids: Record<string, string[]>): fc.Arbitrary<string> {
  const before = path.slice(0, path.indexOf(`:${name}`)).split("/").filter(Boolean).at(-1) ?? "";
  const pool = (name === "paragraphId" ? ids.paragraphs : name === "versionId" ? ids.versions : ids[before]) ?? [];
  const junk = fc.oneof(fc.string({ maxLength: 80 }), fc.constantFrom("..", "%00", "__proto__", "constructor", "x".repeat(3000)));
  return pool.length ? fc.oneof({ arbitrary: fc.constantFrom(...pool), weight: 9 }, { arbitrary: junk, weight: 1 }) : junk;
}

const KEYS = ["paragraphId", "operation", "content", "rationale", "reason", "decision", "text", "label", "to", "hash", "reservation",
  "delegation", "action", "status", "title", "symbol", "sources", "documentId", "paragraphIds", "from", "sponsor", "signatories",
  "username", "password", "type", "attrs", "__proto__", "constructor", "prototype"];

// Deep nesting is written as text: as an object it would overflow the stack of whoever walks it first.
const DEEP = `${'{"content":['.repeat(5000)}1${"]}".repeat(5000)}`;
/** ProseMirror-like JSON, mostly right at the top and wrong somewhere below. */
const prosemirrorish = fc.array(
  fc.record(
    {
      type: fc.oneof({ arbitrary: fc.constant("paragraph"), weight: 4 }, fc.constantFrom("heading", "text", "doc", "chapeau"), fc.string()),
      attrs: fc.oneof(
        { arbitrary: fc.constant({ kind: "op", level: 0 }), weight: 3 },
        fc.record({ kind: fc.constantFrom("op", "pp", "x"), level: fc.oneof(fc.constantFrom(0, 1), fc.integer(), fc.string()) }),
        fc.jsonValue(),
      ),
      content: fc.oneof(
        fc.array(fc.record({ type: fc.constantFrom("text", "text", "paragraph"), text: fc.oneof(fc.string({ minLength: 1 }), fc.jsonValue()), marks: fc.oneof(fc.jsonValue(), fc.array(fc.oneof(fc.record({ type: fc.constantFrom("em", "strong", "bracket", "x") }), fc.jsonValue()))) }, { requiredKeys: ["type"] })),
        fc.jsonValue(),
      ),
    },
    { requiredKeys: ["type", "attrs"] },
  ),
  { minLength: 1, maxLength: 3 },
);
/** A JSON body: anything, objects with the API's keys and wrong values, nearly right ones, giants, prototype keys. */
function jsonBody(ids: Record<string, string[]>): fc.Arbitrary<unknown> {
  const value = fc.oneof(fc.jsonValue({ maxDepth: 3 }), prosemirrorish, fc.constant("x".repeat(300_000)), fc.constant("\u0000\u202E\uD800"));
  return fc.oneof(
    { arbitrary: fc.jsonValue({ maxDepth: 4 }), weight: 1 },
    { arbitrary: fc.dictionary(fc.constantFrom(...KEYS), value), weight: 1 },
    // Nearly right: the keys a body route reads, right where it counts, wrong one level down.
    { arbitrary: fc.record({
      content: fc.oneof({ arbitrary: prosemirrorish, weight: 3 }, fc.record({ text: fc.jsonValue() }), fc.jsonValue()),
      paragraphId: fc.oneof({ arbitrary: fc.constantFrom(...(ids.paragraphs ?? ["p"])), weight: 4 }, fc.string()),
      operation: fc.constantFrom("replace", "insert_before", "insert_after", "replace", "delete", "nope"),
      rationale: fc.string({ maxLength: 50 }),
    }, { requiredKeys: ["content", "paragraphId", "operation"] }), weight: 6 },
    { arbitrary: fc.constant(JSON.parse('{"__proto__": {"admin": true}, "constructor": {"prototype": {"x": 1}}}')), weight: 1 },
  );
}

type Raw = { contentType: string | null; bytes: Buffer };
/** Bodies that are not JSON at all: wrong content types, truncated JSON, invalid UTF-8. */
const rawBody: fc.Arbitrary<Raw> = fc.oneof(
  fc.record({ contentType: fc.constantFrom("application/json", "application/json; charset=latin1", "application/json; charset=utf-16"), bytes: fc.uint8Array({ maxLength: 200 }).map((b) => Buffer.from(b)) }),
  fc.constant({ contentType: "application/json", bytes: Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xc3, 0x28, 0xff, 0x22, 0x7d]) }),
  fc.constant({ contentType: "application/json", bytes: Buffer.from('{"label": "Rev') }),
  fc.constant({ contentType: "application/json", bytes: Buffer.from(DEEP) }),
  fc.record({ contentType: fc.constantFrom("text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "application/xml", null), bytes: fc.string({ maxLength: 100 }).map((s) => Buffer.from(s)) }),
);

const QUERY_KEYS = ["limit", "after", "before", "action", "username", "documentId", "targetId", "paragraph", "delegation", "state", "format", "view", "version", "language", "from", "to", "dryRun", "__proto__"];
const query = fc.array(fc.tuple(fc.constantFrom(...QUERY_KEYS), fc.oneof(fc.string({ maxLength: 30 }), fc.integer().map(String), fc.constant("%ZZ"), fc.constant("x".repeat(5000)))), { maxLength: 4 });

/** Sends one request and reads the answer, however it is shaped. */
function send(method: string, path: string, client: ApiClient, body: Raw | null): Promise<{ status: number; type: string; text: string }> {
  const url = new URL(path, server.url);
  const headers: Record<string, string | number> = { cookie: client.cookie, "x-csrf-token": client.csrfToken };
  if (body?.contentType) headers["content-type"] = body.contentType;
  if (body) headers["content-length"] = body.bytes.length;
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { method, headers }, (res) => {
      // A live stream (server-sent events) does not end: its status and type are its answer.
      if (String(res.headers["content-type"] ?? "").startsWith("text/event-stream")) {
        res.destroy();
        return resolve({ status: res.statusCode!, type: String(res.headers["content-type"]), text: "" });
      }
      const chunks: Buffer[] = [];
      res.on("data", (c) => chunks.push(c));
      res.on("end", () => resolve({ status: res.statusCode!, type: String(res.headers["content-type"] ?? ""), text: Buffer.concat(chunks).toString() }));
    });
    req.on("error", reject);
    req.end(body?.bytes);
  });
}

describe("no 5xx for any malformed request", () => {
  it("every route, as every role, answers arbitrary bodies and queries with 2xx or a 4xx JSON reason", async () => {
    const app = server.server.listeners("request")[0] as unknown as Express;
    const routes = routesOf(app);
    // A sanity check that the walk found the app's routes, not an empty list.
    expect(routes.length).toBeGreaterThan(25);
    expect(routes).toContainEqual({ method: "POST", path: "/api/documents/:id/amendments" });
    const ids = await knownIds();
    for (const route of routes) {
      if (route.method === "DELETE" && route.path === "/api/session") continue; // signs the fuzzer out; covered by its own tests
      const names = [...route.path.matchAll(/:(\w+)/g)].map((m) => m[1]!);
      const params = fc.tuple(...names.map((n) => paramValue(route.path, n, ids)));
      const body = fc.oneof(
        { arbitrary: jsonBody(ids).map((v): Raw => ({ contentType: "application/json", bytes: Buffer.from(JSON.stringify(v) ?? "null") })), weight: 5 },
        { arbitrary: rawBody, weight: 1 },
      );
      await fc.assert(
        fc.asyncProperty(fc.oneof(fc.constantFrom(...ROLES), fc.constant("arg.delegate"), fc.constant("chair")), params, query, body, async (role, values, q, b) => {
          let path = route.path;
          names.forEach((n, i) => (path = path.replace(`:${n}`, encodeURIComponent(values[i]!))));
          const qs = q.map(([k, v]) => `${encodeURIComponent(k)}=${v === "%ZZ" ? v : encodeURIComponent(v)}`).join("&");
          const res = await send(route.method, qs ? `${path}?${qs}` : path, clients.get(role)!, route.method === "GET" ? null : b);
          const where = `${route.method} ${route.path} as ${role}: ${res.status} ${res.text.slice(0, 200)}`;
          expect(res.status, where).toBeLessThan(500);
          if (res.status >= 400) {
            expect(res.type, where).toMatch(/application\/json/);
            expect(typeof JSON.parse(res.text).error, where).toBe("string");
          }
        }),
        { seed: SEED, numRuns: route.method === "GET" ? RUNS_PER_ROUTE : RUNS_PER_ROUTE * 10, endOnFailure: true },
      );
    }
    // Still up, and still serving.
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
    expect((await clients.get("arg.delegate")!.get(`/api/documents/${server.demo.documents.declaration}`)).status).toBe(200);
  }, ON_POSTGRES ? 300_000 : undefined);
});
