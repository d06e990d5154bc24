import { afterAll, beforeAll, describe, expect, it } from "vitest";
import WebSocket from "ws";
import * as Y from "yjs";
import { Redis } from "ioredis";
import { startTestCluster, type TestCluster } from "./helpers/cluster.js";
import { collabClient, eventually, type CollabClient } from "./helpers/collab.js";
import { openInboxStream, type InboxStream } from "./helpers/inbox.js";
import { request } from "./helpers/api.js";
import { textFragment } from "../schema/index.js";
import { encodeClusterMessage } from "../server/cluster/wire.js";
import { clusterKeys, signFrame } from "../server/cluster/signing.js";
import { encodeSyncUpdate } from "../server/collab/protocol.js";
import { CLOSE_TOO_MANY } from "../server/collab/connection.js";

// Real services: Redis, two Accord processes (`node server/main.ts`) sharing the store,
// HAProxy in front. Each test speaks to the processes directly, to show what crosses.
const REQUESTS_PER_MINUTE = 40;
const SOCKETS_PER_USER = 3;
const SIGN_IN_FAILURES = 4;
let cluster: TestCluster;
let meetingId: string;
let declaration: string;
const clients: CollabClient[] = [];
const streams: InboxStream[] = [];
const sockets: WebSocket[] = [];
beforeAll(async () => {
  cluster = await startTestCluster({ ACCORD_REQUESTS_PER_MINUTE: String(REQUESTS_PER_MINUTE), ACCORD_MAX_CONNECTIONS_PER_USER: String(SOCKETS_PER_USER), ACCORD_SIGNIN_FAILURES: String(SIGN_IN_FAILURES) }, 2);
  const secretariat = await cluster.login("secretariat");
  meetingId = secretariat.user.meetingId;
  const documents = (await secretariat.get(`/api/meetings/${meetingId}/documents`)).body as Array<{ id: string; kind: string }>;
  declaration = documents.find((d) => d.kind === "declaration")!.id;
}, 300_000);
afterAll(async () => {
  for (const c of clients) c.destroy();
  for (const s of streams) s.close();
  for (const s of sockets) s.terminate();
  await cluster?.stop();
}, 60_000);

const signIn = (url: string, username: string, password: string) => request(url, "POST", "/api/session", { body: { username, password } });

/** A raw websocket on a document; resolves with "served" (the server greeted it) or the close code it was refused with. */
function openSocket(url: string, cookie: string): Promise<{ ws: WebSocket; outcome: "served" | number }> {
  const ws = new WebSocket(`${url.replace(/^http/, "ws")}/collab/${declaration}`, { headers: { cookie } });
  sockets.push(ws);
  return new Promise((resolve) => {
    ws.once("message", () => resolve({ ws, outcome: "served" }));
    ws.once("close", (code) => resolve({ ws, outcome: code }));
  });
}

function typeInto(doc: Y.Doc, index: number, text: string): void {
  const t = (textFragment(doc).get(index) as Y.XmlElement).get(0) as Y.XmlText;
  t.insert(t.length, text);
}

describe("limits and events across the processes of a cluster", () => {
  it("sign-in: a username is locked at the allowance counted over both processes, not at the allowance per process", async () => {
    const [p1, p2] = cluster.processes;
    // Half of them on each process: each process alone would admit as many again.
    for (let i = 0; i < SIGN_IN_FAILURES; i++) {
      const answer = await signIn((i % 2 === 0 ? p1 : p2)!.url, "per.minister", `wrong password ${i}`);
      expect(answer.status, `attempt ${i + 1}`).toBe(401);
    }
    for (const p of [p1!, p2!]) {
      const locked = await signIn(p.url, "per.minister", "wrong password again");
      expect(locked.status).toBe(429);
      expect(locked.body.code).toBe("session.locked");
    }
    // Locked whatever the password, on either process.
    expect((await signIn(p2!.url, "per.minister", "accord-demo")).status).toBe(429);
    // Another account is not concerned.
    expect((await signIn(p2!.url, "per.delegate", "accord-demo")).status).toBe(200);
  }, 60_000);

  it("sign-in: a device cookie issued by one process is honoured by the other, past the username's lock", async () => {
    const [p1, p2] = cluster.processes;
    const first = await fetch(`${p1!.url}/api/session`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ username: "hti.delegate", password: "accord-demo" }) });
    expect(first.status).toBe(200);
    const device = first.headers.getSetCookie().find((c) => c.startsWith("accord_device="))!.split(";")[0]!;
    for (let i = 0; i < SIGN_IN_FAILURES; i++) expect((await signIn((i % 2 === 0 ? p1 : p2)!.url, "hti.delegate", `guess ${i}`)).status).toBe(401);
    expect((await signIn(p2!.url, "hti.delegate", "accord-demo")).status).toBe(429);
    const fromDevice = await request(p2!.url, "POST", "/api/session", { body: { username: "hti.delegate", password: "accord-demo" }, headers: { cookie: device } });
    expect(fromDevice.status, JSON.stringify(fromDevice.body)).toBe(200);
  }, 60_000);

  it("API requests: one person's requests are counted over both processes", async () => {
    const [p1, p2] = cluster.processes;
    const mex = await cluster.login("mex.delegate", p1!.url);
    for (let i = 0; i < REQUESTS_PER_MINUTE; i++) {
      const answer = await request((i % 2 === 0 ? p1 : p2)!.url, "GET", "/api/session", { cookie: mex.cookie });
      expect(answer.status, `request ${i + 1}`).toBe(200);
    }
    const refused = await request(p1!.url, "GET", "/api/session", { cookie: mex.cookie });
    expect(refused.status).toBe(429);
    // Someone else still gets through.
    expect((await (await cluster.login("mex.minister", p2!.url)).get("/api/session")).status).toBe(200);
  }, 60_000);

  it("websockets: a person's open sockets are counted over both processes, and a closed one gives its slot back", async () => {
    const [p1, p2] = cluster.processes;
    const chl = await cluster.login("chl.delegate", p1!.url);
    const first = await openSocket(p1!.url, chl.cookie);
    const second = await openSocket(p1!.url, chl.cookie);
    const third = await openSocket(p2!.url, chl.cookie);
    expect([first.outcome, second.outcome, third.outcome]).toEqual(["served", "served", "served"]);
    expect((await openSocket(p2!.url, chl.cookie)).outcome).toBe(CLOSE_TOO_MANY);
    first.ws.close();
    await eventually(async () => (await openSocket(p2!.url, chl.cookie)).outcome === "served", 10_000, "the freed slot taken on the other process");
  }, 60_000);

  it("live inbox: a notification made on one process arrives on the member's stream opened on the other", async () => {
    const [p1, p2] = cluster.processes;
    const mexMinister = await cluster.login("mex.minister", p2!.url);
    const stream = openInboxStream(p2!.url, meetingId, mexMinister.cookie);
    streams.push(stream);
    await stream.opened;
    const usa = await cluster.login("usa.delegate", p1!.url);
    const blocks = (await usa.get(`/api/documents/${declaration}/content`)).body.canonical.paragraphs as Array<{ id: string }>;
    const thread = await usa.post(`/api/documents/${declaration}/comments`, { paragraphId: blocks[2]!.id, body: "@mex.minister across processes?" });
    expect(thread.status, JSON.stringify(thread.body)).toBe(201);
    const added = await stream.waitFor((e) => e.type === "notification.added" && e.data.notification.link.targetId === thread.body.id);
    expect(added.data.meetingId).toBe(meetingId);
    expect(added.data.unread).toBeGreaterThan(0);
  }, 60_000);

  it("signing out on one process ends the person's live stream on the other at once", async () => {
    const [p1, p2] = cluster.processes;
    const col = await cluster.login("col.delegate", p1!.url);
    const stream = openInboxStream(p2!.url, meetingId, col.cookie);
    streams.push(stream);
    await stream.opened;
    let over = false;
    void stream.ended.then(() => (over = true));
    expect((await col.delete("/api/session")).status).toBe(204);
    // Within a second or two, not at the stream's next keep-alive (25 s) or recheck.
    await eventually(() => over, 5000, "the stream's end");
  }, 30_000);

  it("a message put into Redis by someone without the cluster's secret is dropped and logged; the document is unchanged", async () => {
    const [p1, p2] = cluster.processes;
    const owner = connectClient(p1!.url, (await cluster.login("arg.delegate", p1!.url)).cookie);
    await owner.synced;
    const relayed = connectClient(p2!.url, (await cluster.login("bra.delegate", p2!.url)).cookie);
    await relayed.synced;
    const lease = (await (await cluster.login("secretariat", p1!.url)).get(`/api/documents/${declaration}/owner`)).body as { process: string; token: number };
    expect(lease.process).toBe(p1!.name);
    // "The owner delivered": an update that writes FORGED, as the relay on p2 would apply and fan out.
    const forged = new Y.Doc();
    Y.applyUpdate(forged, Y.encodeStateAsUpdate(relayed.doc));
    typeInto(forged, 2, "FORGED");
    const update = Y.encodeStateAsUpdate(forged, Y.encodeStateVector(relayed.doc));
    const message = encodeClusterMessage({ type: "deliver", token: lease.token, n: 0, until: 0, messages: [encodeSyncUpdate(update)] });
    const channel = `accord:doc:${declaration}`;
    const redis = new Redis(cluster.redisUrl);
    try {
      await redis.publish(channel, Buffer.from(message));
      await redis.publish(channel, signFrame(clusterKeys("a secret that is not the cluster's own, 32+").bus, channel, message));
      await eventually(() => /cluster: dropped \d+ unsigned, forged or stale message/.test(p2!.output()), 10_000, "the relay's log line");
      // A genuine change after them reaches the relayed client; the forged one never did.
      typeInto(owner.doc, 3, "GENUINE");
      await eventually(() => relayed.canonical().paragraphs[3]!.text.endsWith("GENUINE"), 10_000, "the genuine change");
      expect(JSON.stringify(relayed.canonical())).not.toContain("FORGED");
      expect(JSON.stringify(owner.canonical())).not.toContain("FORGED");
      const stored = (await (await cluster.login("secretariat", p2!.url)).get(`/api/documents/${declaration}/content`)).body.canonical;
      expect(JSON.stringify(stored)).not.toContain("FORGED");
      // The same message signed with the cluster's secret is taken: what was dropped was refused for its signature alone.
      await redis.publish(channel, signFrame(clusterKeys(cluster.clusterSecret).bus, channel, message));
      await eventually(() => JSON.stringify(relayed.canonical()).includes("FORGED"), 10_000, "the signed message");
    } finally {
      redis.disconnect();
    }
  }, 60_000);

  it("a forwarded request without the cluster's signature is refused", async () => {
    const [p1] = cluster.processes;
    const secretariat = await cluster.login("secretariat", p1!.url);
    const answer = await request(p1!.url, "GET", "/api/session", { cookie: secretariat.cookie, headers: { "x-accord-forwarded": "accord-2" } });
    expect(answer.status).toBe(403);
    expect(answer.body.code).toBe("cluster.forward_unsigned");
    await eventually(() => p1!.output().includes("cluster: refused a forwarded GET /api/session without a good signature"), 5000, "the log line");
  }, 30_000);
});

function connectClient(url: string, cookie: string): CollabClient {
  const c = collabClient(url, declaration, cookie);
  clients.push(c);
  return c;
}

describe("the administrator's setup link in a cluster", () => {
  let bare: TestCluster;
  beforeAll(async () => {
    bare = await startTestCluster({ ACCORD_SEED: "false" }, 2);
  }, 300_000);
  afterAll(async () => {
    await bare?.stop();
  }, 60_000);

  it("is issued by the first process only: the second, started after it or restarted, keeps it", async () => {
    const [first, second] = bare.processes;
    const token = /\/setup\/([A-Za-z0-9_-]+)/.exec(first!.output())?.[1];
    expect(token, first!.output()).toBeDefined();
    expect(second!.output()).not.toMatch(/\/setup\//);
    expect(second!.output()).toContain(`the setup link was printed by ${first!.name}`);
    expect((await request(bare.url, "GET", `/api/setup/${token}`)).status).toBe(200);
    await second!.stop();
    const again = await bare.restart(1);
    expect(again.output()).not.toMatch(/\/setup\//);
    expect((await request(again.url, "GET", `/api/setup/${token}`)).status).toBe(200);
  }, 120_000);
});
