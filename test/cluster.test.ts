import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestCluster, type TestCluster } from "./helpers/cluster.js";

// Real services: redis-server, three Accord processes (`node server/main.ts`), Debian's HAProxy.
let cluster: TestCluster;
let declaration: string;
beforeAll(async () => {
  cluster = await startTestCluster();
  const secretariat = await cluster.login("secretariat");
  const meetings = (await secretariat.get("/api/meetings")).body as Array<{ id: string }>;
  const documents = (await secretariat.get(`/api/meetings/${meetings[0]!.id}/documents`)).body as Array<{ id: string; kind: string }>;
  declaration = documents.find((d) => d.kind === "declaration")!.id;
}, 240_000);
afterAll(async () => {
  await cluster?.stop();
}, 60_000);

describe("npm run cluster", () => {
  it("the balancer spreads requests over the three processes, each naming itself in /healthz", async () => {
    const seen = new Map<string, number>();
    for (let i = 0; i < 9; i++) {
      const health = (await (await fetch(`${cluster.url}/healthz`)).json()) as { ok: boolean; process: string; pid: number };
      expect(health.ok).toBe(true);
      seen.set(health.process, health.pid);
    }
    expect([...seen.keys()].sort()).toEqual(["accord-1", "accord-2", "accord-3"]);
    for (const p of cluster.processes) expect(seen.get(p.name)).toBe(p.child.pid);
  });

  it("GET /api/documents/:id/owner answers the secretariat only", async () => {
    const secretariat = await cluster.login("secretariat");
    const owner = await secretariat.get(`/api/documents/${declaration}/owner`);
    expect(owner.status).toBe(200);
    expect(owner.body.documentId).toBe(declaration);
    const delegate = await cluster.login("arg.delegate");
    expect((await delegate.get(`/api/documents/${declaration}/owner`)).status).toBe(403);
    expect((await secretariat.get(`/api/documents/no-such-document/owner`)).status).toBe(404);
  });
});
