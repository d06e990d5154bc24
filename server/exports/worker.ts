import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { pathToFileURL } from "node:url";
import { Worker } from "node:worker_threads";
import type { RenderedFile, RenderJob } from "./render.js";

// The worker loads the renderers from source. Accord runs its TypeScript through tsx (the
// server under `tsx`, the tests under vitest), so the worker registers tsx's loader first
// when the renderers are `.ts` files; the import is the same module the main thread uses.
//
// The worker lowers its own priority before anything else: on Linux, setpriority() with
// pid 0 applies to the calling thread only, so this thread runs at nice 19 while the
// event loop that serves the editors keeps its own; with both runnable on one core the
// event loop gets about 98% of it. Elsewhere (macOS) the same call would lower the whole
// server, so the worker leaves its priority alone there.
const WORKER_SOURCE = `
const { parentPort, workerData } = require("node:worker_threads");
const thread = { tid: null, nice: null };
if (process.platform === "linux") {
  const { readFileSync } = require("node:fs");
  const { getPriority, setPriority } = require("node:os");
  try {
    setPriority(workerData.nice);
    thread.nice = getPriority();
    thread.tid = Number(readFileSync("/proc/thread-self/stat", "utf8").split(" ")[0]);
  } catch {}
}
(async () => {
  if (workerData.tsx) (await import(workerData.tsx)).register();
  const { renderExport } = await import(workerData.renderer);
  parentPort.on("message", async ({ id, job }) => {
    try {
      const file = await renderExport(job);
      // A fresh buffer of its own, so that handing it over detaches nothing else.
      const body = typeof file.body === "string" ? file.body : new Uint8Array(file.body);
      parentPort.postMessage({ id, file: { ...file, body } }, typeof body === "string" ? [] : [body.buffer]);
    } catch (error) {
      parentPort.postMessage({ id, error: error && error.stack ? error.stack : String(error) });
    }
  });
  parentPort.postMessage({ ready: true, thread });
})().catch((error) => parentPort.postMessage({ failed: error && error.stack ? error.stack : String(error) }));
`;

type Reply = { id: number; file: RenderedFile } | { id: number; error: string } | { ready: true; thread: ExportThread } | { failed: string };

/** The nice value of the export thread: the lowest priority, below every thread that serves editors. */
export const EXPORT_THREAD_NICE = 19;

/** The operating system's view of the export thread: its thread id and nice value (null where not Linux). */
export interface ExportThread {
  tid: number | null;
  nice: number | null;
}

/**
 * Renders exports on one worker thread, so that building a Word file or a PDF of a large
 * document (hundreds of milliseconds of pure CPU) never holds up the event loop that
 * serves the editors' keystrokes. The worker starts on the first export and stays; it does
 * not keep the process alive. Jobs are answered in any order, by id. A worker that dies
 * fails the jobs it had and is replaced on the next export.
 */
export class RenderWorker {
  private worker: Worker | null = null;
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (file: RenderedFile) => void; reject: (error: Error) => void }>();
  private readonly waitingForThread: Array<(thread: ExportThread) => void> = [];
  private started: ExportThread | null = null;

  /** The worker's thread id and nice value once it has started (starting it if need be). */
  thread(): Promise<ExportThread> {
    if (this.started && this.worker) return Promise.resolve(this.started);
    if (!this.worker) this.start();
    return new Promise((resolve) => this.waitingForThread.push(resolve));
  }

  /** Renders one job on the worker thread. */
  render(job: RenderJob): Promise<RenderedFile> {
    const worker = this.worker ?? this.start();
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      worker.postMessage({ id, job });
    });
  }

  /**
   * Starts the worker and has it load the Word and PDF renderers now (seconds of CPU on a
   * cold start), so that the first person to export does not wait for it. Never fails.
   */
  warm(job: RenderJob): void {
    this.render(job).catch(() => undefined);
  }

  /** Stops the worker; pending jobs fail. */
  async close(): Promise<void> {
    const worker = this.worker;
    this.worker = null;
    if (worker) await worker.terminate();
  }

  private start(): Worker {
    const renderer = new URL(`./render${import.meta.url.endsWith(".ts") ? ".ts" : ".js"}`, import.meta.url).href;
    const tsx = renderer.endsWith(".ts")
      ? pathToFileURL(join(dirname(createRequire(import.meta.url).resolve("tsx/package.json")), "dist", "esm", "api", "index.mjs")).href
      : null;
    const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { renderer, tsx, nice: EXPORT_THREAD_NICE } });
    this.started = null;
    worker.unref();
    const failAll = (error: Error) => {
      if (this.worker === worker) this.worker = null;
      for (const job of this.pending.values()) job.reject(error);
      this.pending.clear();
    };
    worker.on("message", (reply: Reply) => {
      if ("failed" in reply) {
        failAll(new Error(`the export worker could not start: ${reply.failed}`));
        void worker.terminate();
        return;
      }
      if ("ready" in reply) {
        this.started = reply.thread;
        for (const resolve of this.waitingForThread.splice(0)) resolve(reply.thread);
        return;
      }
      const job = this.pending.get(reply.id);
      if (!job) return;
      this.pending.delete(reply.id);
      if ("error" in reply) job.reject(new Error(reply.error));
      else job.resolve(reply.file);
    });
    worker.on("error", failAll);
    worker.on("exit", (code) => failAll(new Error(`the export worker stopped (exit code ${code})`)));
    this.worker = worker;
    return worker;
  }
}
