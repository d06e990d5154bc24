import { afterAll, describe, expect, it } from "vitest";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as Y from "yjs";
import { freePort, spawnServer, type ChildServer } from "./helpers/server.js";
import { login } from "./helpers/api.js";
import { collabClient, eventually } from "./helpers/collab.js";
import { textFragment } from "../schema/index.js";

const dirs: string[] = [];
const children: ChildServer[] = [];
afterAll(() => {
  for (const c of children) if (c.process.exitCode === null) c.process.kill("SIGKILL");
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe("durable before visible", () => {
  it("after SIGKILL and restart, every update any client had received is there", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "accord-kill-"));
    dirs.push(dataDir);
    const port = await freePort();
    const env = { ACCORD_LOG: "silent", ACCORD_COMPACT_AFTER: "50" };
    const first = await spawnServer(dataDir, port, env);
    children.push(first);
    const [arg, bra, obs] = await Promise.all([
      login(first.url, "arg.delegate"),
      login(first.url, "bra.delegate"),
      login(first.url, "observer"),
    ]);
    const meetings = (await arg.get("/api/meetings")).body;
    const docs = (await arg.get(`/api/meetings/${meetings[0].id}/documents`)).body as Array<{ id: string; kind: string }>;
    const docId = docs.find((d) => d.kind === "declaration")!.id;
    const a = collabClient(first.url, docId, arg.cookie);
    const b = collabClient(first.url, docId, bra.cookie);
    const watcher = collabClient(first.url, docId, obs.cookie);
    await Promise.all([a.synced, b.synced, watcher.synced]);
    const typeIn = (doc: Y.Doc, index: number, ch: string) => {
      const t = (textFragment(doc).get(index) as Y.XmlElement).get(0) as Y.XmlText;
      t.insert(t.length, ch);
    };
    // Both type steadily; the server is killed mid-stream.
    let typing = true;
    let typed = 0;
    const loop = (async () => {
      while (typing) {
        typeIn(a.doc, 2, "a");
        typeIn(b.doc, 3, "b");
        typed += 1;
        await new Promise((r) => setTimeout(r, 2));
      }
    })();
    await eventually(() => watcher.canonical().paragraphs[3]!.text.endsWith("b".repeat(100)), 15000, "some typing received");
    first.process.kill("SIGKILL");
    typing = false;
    await loop;
    // What the server had made visible: what any client received from it.
    const receivedByWatcher = watcher.canonical();
    const receivedByA = a.canonical().paragraphs[3]!.text; // A sees B's text only through the server
    const receivedByB = b.canonical().paragraphs[2]!.text;
    a.destroy();
    b.destroy();
    watcher.destroy();
    await new Promise<void>((r) => first.process.once("exit", () => r()));

    const second = await spawnServer(dataDir, port, env);
    children.push(second);
    const api = await login(second.url, "mex.delegate");
    const after = (await api.get(`/api/documents/${docId}/content`)).body.canonical;
    expect(typed).toBeGreaterThan(100);
    for (const [i, p] of receivedByWatcher.paragraphs.entries()) {
      expect(after.paragraphs[i].text.startsWith(p.text)).toBe(true);
    }
    expect(after.paragraphs[3].text.startsWith(receivedByA)).toBe(true);
    expect(after.paragraphs[2].text.startsWith(receivedByB)).toBe(true);
    second.process.kill("SIGTERM");
  });
});
