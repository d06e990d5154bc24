/**
 * Setting up meetings at scale, through the real HTTP API on a fresh database:
 * - the CSV import of 2,000 members (no password is hashed: each person chooses one with
 *   their setup link), target under 2 s;
 * - the meeting home (the list of meetings, then one meeting's documents) on a server with
 *   50 meetings and 500 documents, target under 50 ms server time.
 * Server time is the time the server spent on the request, measured inside the process
 * around the handler (a `Server-Timing`-like hook), not the client's round trip.
 * Run: npx tsx bench/meetings.ts
 */
import { performance } from "node:perf_hooks";
import { ADMIN_PASSWORD, startEmptyServer } from "../test/helpers/server.js";
import { type ApiClient } from "../test/helpers/api.js";

const server = await startEmptyServer();
// Time each request on the server: from when it arrives until the answer is written.
const serverMs = new Map<string, number>();
server.server.prependListener("request", (req, res) => {
  const t0 = performance.now();
  res.once("finish", () => serverMs.set(`${req.method} ${req.url}`, performance.now() - t0));
});
const admin = await server.login("admin", ADMIN_PASSWORD);

async function timed(client: ApiClient, method: "get" | "post", path: string, body?: unknown): Promise<{ ms: number; status: number; body: any }> {
  const res = await client[method](path, body);
  return { ms: serverMs.get(`${method.toUpperCase()} ${path}`) ?? NaN, status: res.status, body: res.body };
}

async function csvImport(meetingId: string, csv: string): Promise<{ ms: number; status: number; created: number }> {
  const path = `/api/meetings/${meetingId}/members/import`;
  const res = await fetch(server.url + path, {
    method: "POST",
    headers: { "content-type": "text/csv", cookie: admin.cookie, "x-csrf-token": admin.csrfToken },
    body: csv,
  });
  const body = (await res.json()) as { created: unknown[] };
  return { ms: serverMs.get(`POST ${path}`) ?? NaN, status: res.status, created: body.created.length };
}

const codes = ["ARG", "BRA", "CHL", "COL", "MEX", "PER", "URY", "PRY", "ECU", "BOL", "CAN", "USA"];
const roles = ["delegate", "delegate", "delegate", "minister", "observer"];

// 1. CSV import of 2,000 members, three times into fresh meetings (best and worst shown).
const importTimes: number[] = [];
for (let run = 0; run < 3; run++) {
  const meeting = await admin.post("/api/meetings", { title: `Import ${run}`, seriesSymbol: `IMP-${run}`, languages: ["en"], delegations: codes });
  const lines = ["username,displayName,role,delegation,email"];
  for (let i = 0; i < 2000; i++) {
    const role = roles[i % roles.length]!;
    lines.push(`r${run}.person${i},Person ${i} of run ${run},${role},${role === "observer" ? "" : codes[i % codes.length]},p${i}@example.org`);
  }
  const result = await csvImport(meeting.body.id, lines.join("\r\n"));
  if (result.status !== 201 || result.created !== 2000) throw new Error(`import failed: ${result.status}`);
  importTimes.push(result.ms);
}
importTimes.sort((a, b) => a - b);
console.log(
  `CSV import of 2,000 members: best ${importTimes[0]!.toFixed(0)} ms, worst ${importTimes.at(-1)!.toFixed(0)} ms server time ` +
    `(target < 2000 ms; 2,000 people, memberships, setup links and audit events)`,
);

// 2. Meeting home with 50 meetings and 500 documents; the person is a member of every meeting.
const member = { username: "everywhere", displayName: "Member of every meeting", role: "delegate", delegation: "ARG" };
let memberLink = "";
const ids = ((await admin.get("/api/meetings")).body as Array<{ id: string }>).map((m) => m.id);
while (ids.length < 50) {
  const meeting = await admin.post("/api/meetings", { title: `Meeting ${ids.length}`, seriesSymbol: `M-${ids.length}`, languages: ["en", "es"], delegations: codes });
  ids.push(meeting.body.id as string);
}
let lastMeeting = "";
for (const [m, id] of ids.entries()) {
  lastMeeting = id;
  const secretariat = await admin.post(`/api/meetings/${id}/members`, { username: `sec${m}`, displayName: `Secretariat ${m}`, role: "secretariat" });
  const added = await admin.post(`/api/meetings/${id}/members`, member);
  if (added.body.setupUrl) memberLink = added.body.setupUrl;
  // The secretariat's own session creates the bodies and documents.
  const path = new URL(secretariat.body.setupUrl).pathname.replace("/setup/", "/api/setup/");
  await fetch(server.url + path, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ password: "bench password 123" }) });
  const sec = await server.login(`sec${m}`, "bench password 123");
  const plenary = await sec.post(`/api/meetings/${id}/bodies`, { kind: "plenary", name: "Plenary", shortName: "Plenary" });
  for (let d = 0; d < 10; d++)
    await sec.post(`/api/meetings/${id}/documents`, { bodyId: plenary.body.id, kind: d === 0 ? "declaration" : "resolution", title: `Document ${d}` });
}
await fetch(server.url + new URL(memberLink).pathname.replace("/setup/", "/api/setup/"), {
  method: "POST",
  headers: { "content-type": "application/json" },
  body: JSON.stringify({ password: "bench password 123" }),
});
const person = await server.login("everywhere", "bench password 123");
const documents = server.ctx.db.prepare("SELECT COUNT(*) FROM documents").pluck().get() as number;
const meetings = server.ctx.db.prepare("SELECT COUNT(*) FROM meetings").pluck().get() as number;
const home: number[] = [];
for (let i = 0; i < 20; i++) {
  const list = await timed(person, "get", "/api/meetings");
  const docs = await timed(person, "get", `/api/meetings/${lastMeeting}/documents`);
  const bodies = await timed(person, "get", `/api/meetings/${lastMeeting}/bodies`);
  if (list.body.length !== 50 || docs.body.length !== 10) throw new Error("unexpected home");
  home.push(list.ms + docs.ms + bodies.ms);
}
home.sort((a, b) => a - b);
const adminList = await timed(admin, "get", "/api/meetings");
console.log(
  `meeting home (${meetings} meetings, ${documents} documents on the server; meetings + documents + bodies): ` +
    `median ${home[10]!.toFixed(1)} ms, max ${home.at(-1)!.toFixed(1)} ms server time (target < 50 ms); ` +
    `the administrator's list of all ${adminList.body.length} meetings ${adminList.ms.toFixed(1)} ms`,
);

await server.stop();
