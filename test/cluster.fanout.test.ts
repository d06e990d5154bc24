import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { demoDeclaration, startTestCluster, type TestCluster } from "./helpers/cluster.js";
import { collabClient, eventually, type CollabClient, typeInto } from "./helpers/collab.js";

// Real services: Redis, two Accord processes (`node server/main.ts`) sharing the store,
// HAProxy in front; stock y-websocket clients, each on the process the test names.
// A lease long enough that an owner held up for longer than a relay's silence (5 s) keeps
// its documents: what is tested is that it keeps the relays' clients too.
const LEASE_MS = 30_000;
const HELD_MS = 7_000;
let cluster: TestCluster;
let declaration: string;
const clients: CollabClient[] = [];
beforeAll(async () => {
  cluster = await startTestCluster({ ACCORD_LEASE_MS: String(LEASE_MS) }, 2);
  declaration = await demoDeclaration(cluster);
}, 240_000);
afterAll(async () => {
  for (const c of clients) c.destroy();
  await cluster?.stop();
}, 60_000);

/** A stock client on one process, and how many times its socket closed. */
function connect(url: string, cookie: string): CollabClient & { closes: () => number } {
  const c = collabClient(url, declaration, cookie);
  clients.push(c);
  let closes = 0;
  c.provider.on("connection-close", () => (closes += 1));
  return { ...c, closes: () => closes };
}

const same = (a: CollabClient, b: CollabClient) => JSON.stringify(a.canonical()) === JSON.stringify(b.canonical());

describe("fan-out across processes", () => {
  it("an owner held up longer than a relay's silence (SIGSTOP, inside its lease) keeps the relay's clients: none is closed, their edits go on and converge", async () => {
    const [owner, relay] = cluster.processes;
    const a = connect(owner!.url, (await cluster.login("arg.delegate", owner!.url)).cookie);
    await a.synced;
    const b = connect(relay!.url, (await cluster.login("bra.delegate", relay!.url)).cookie);
    await b.synced;
    const secretariat = await cluster.login("secretariat");
    expect((await secretariat.get(`/api/documents/${declaration}/owner`)).body).toMatchObject({ process: owner!.name });
    typeInto(b.doc, 2, "before");
    await eventually(() => same(a, b) && a.canonical().paragraphs[2]!.text.endsWith("before"), 15_000, "the first edit");
    owner!.child.kill("SIGSTOP");
    try {
      await new Promise((resolve) => setTimeout(resolve, HELD_MS)); // the hold itself is what is tested
      typeInto(b.doc, 3, "during");
    } finally {
      owner!.child.kill("SIGCONT");
    }
    typeInto(b.doc, 4, "after");
    await eventually(() => same(a, b) && a.canonical().paragraphs[4]!.text.endsWith("after"), 30_000, "convergence after the hold");
    expect(a.canonical().paragraphs[3]!.text.endsWith("during")).toBe(true);
    expect(b.closes()).toBe(0);
    expect(a.closes()).toBe(0);
    expect(b.denials).toHaveLength(0);
  });

  it("relayed typists converge, and a client joining on the relay is sent the whole text from the relay's replica", async () => {
    const [owner, relay] = cluster.processes;
    const a = connect(owner!.url, (await cluster.login("arg.delegate", owner!.url)).cookie);
    const typists = await Promise.all(["bra.delegate", "chl.delegate", "arg.delegate"].map(async (u) => connect(relay!.url, (await cluster.login(u, relay!.url)).cookie)));
    await Promise.all([a.synced, ...typists.map((t) => t.synced)]);
    for (let round = 0; round < 20; round++) typists.forEach((t, i) => typeInto(t.doc, 2 + i, String(round % 10)));
    await eventually(() => typists.every((t) => same(t, a)) && a.canonical().paragraphs[4]!.text.includes("0123456789"), 30_000, "the typists' convergence");
    const joiner = connect(relay!.url, (await cluster.login("observer", relay!.url)).cookie);
    await joiner.synced;
    await eventually(() => same(joiner, a), 15_000, "the joiner's text");
    typists.forEach((t) => expect(t.denials).toHaveLength(0));
  });
});
