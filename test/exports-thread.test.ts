import { readFileSync } from "node:fs";
import { getPriority } from "node:os";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EXPORT_THREAD_NICE } from "../server/exports/worker.js";
import { exportThread } from "../server/exports/routes.js";
import { startTestServer, type TestServer } from "./helpers/server.js";

/** The nice value of one thread of this process, as the kernel reports it (field 19 of its stat). */
function niceOf(tid: number): number {
  const stat = readFileSync(`/proc/${process.pid}/task/${tid}/stat`, "utf8");
  return Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[16]);
}

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server?.stop();
});

describe.runIf(process.platform === "linux")("the export thread", () => {
  it("runs at the lowest priority while the event loop keeps its own", async () => {
    const before = getPriority();
    const observer = await server.login("observer");
    const res = await fetch(`${server.url}/api/documents/${server.demo.documents.declaration!}/export?format=akn`, { headers: { cookie: observer.cookie } });
    expect(res.status).toBe(200);
    // What the export cost the event loop and the export thread, for whoever measures it.
    expect(res.headers.get("server-timing")).toMatch(/^main;dur=[\d.]+, model;dur=[\d.]+, post;dur=[\d.]+, render;dur=[\d.]+, cpu;dur=[\d.]+$/);
    const thread = await exportThread();
    expect(thread.tid).not.toBe(process.pid);
    expect(thread.nice).toBe(EXPORT_THREAD_NICE);
    expect(niceOf(thread.tid!)).toBe(EXPORT_THREAD_NICE);
    expect(niceOf(process.pid)).toBe(before);
    expect(getPriority()).toBe(before);
  });
});
