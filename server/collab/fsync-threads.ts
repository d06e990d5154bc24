import { Worker } from "node:worker_threads";

/** How one fsync on a worker thread ended: its error, if any, and how long the disk took, ms. */
export type FsyncDone = (error: Error | null, diskMs: number) => void;

// Each worker waits for the disk where it is told to and times only that wait, on its own
// idle thread: the time until its answer reaches the main thread is the main thread's.
const WORKER_SOURCE = `
const { parentPort } = require("node:worker_threads");
const { fsyncSync } = require("node:fs");
parentPort.on("message", (fd) => {
  const started = performance.now();
  let error = null;
  try {
    fsyncSync(fd);
  } catch (e) {
    error = { message: String(e && e.message), code: e && e.code, errno: e && e.errno, syscall: e && e.syscall };
  }
  parentPort.postMessage({ diskMs: performance.now() - started, error });
});
`;

interface Answer {
  diskMs: number;
  error: { message: string; code?: string; errno?: number; syscall?: string } | null;
}

/**
 * Fsyncs off the main thread, each timed where it runs. libuv's thread pool (`fs.fsync`)
 * tells only when its callback ran, which under load is the event loop's delay as much as
 * the disk's: measured at 800 editors, fsyncs the disk did in 0.6–2.9 ms called back
 * after 1.5–31 ms (medians of 2 s stretches). A few worker threads, one fsync each at a
 * time, time the disk alone; a hand-over wakes a thread and then the main thread, as the
 * pool's does.
 */
export class FsyncThreads {
  private readonly threads: Array<{ worker: Worker; done: FsyncDone | null }> = [];
  private closed = false;

  constructor(count: number) {
    for (let i = 0; i < count; i++) this.threads.push(this.start());
  }

  /** Whether a thread is free for another fsync. */
  get free(): boolean {
    return this.threads.some((t) => t.done === null);
  }

  /** Fsyncs `fd` on a free thread (the caller checks `free`); `done` is called on the main thread. */
  fsync(fd: number, done: FsyncDone): void {
    const thread = this.threads.find((t) => t.done === null);
    if (!thread) throw new Error("no fsync thread is free");
    thread.done = done;
    thread.worker.ref();
    thread.worker.postMessage(fd);
  }

  /** Stops the threads. An fsync still running is not reported: whoever closes has synced everything on this thread first. */
  close(): void {
    this.closed = true;
    for (const thread of this.threads) {
      thread.done = null;
      void thread.worker.terminate();
    }
  }

  private start(): { worker: Worker; done: FsyncDone | null } {
    const worker = new Worker(WORKER_SOURCE, { eval: true });
    // Held only while an fsync runs on it: an idle worker never keeps the process alive.
    worker.unref();
    const thread = { worker, done: null as FsyncDone | null };
    worker.on("message", ({ diskMs, error }: Answer) => {
      const done = thread.done;
      thread.done = null;
      worker.unref();
      done?.(error ? Object.assign(new Error(error.message), error) : null, diskMs);
    });
    // A thread that died with an fsync on it: that fsync is not known to have reached the
    // disk, so it is reported failed; another thread takes its place.
    worker.on("error", (error) => this.lost(thread, error));
    worker.on("exit", (code) => this.lost(thread, new Error(`the fsync thread exited (${code})`)));
    return thread;
  }

  private lost(thread: { worker: Worker; done: FsyncDone | null }, error: Error): void {
    if (this.closed) return;
    const index = this.threads.indexOf(thread);
    if (index < 0) return;
    this.threads[index] = this.start();
    void thread.worker.terminate();
    thread.done?.(error, 0);
    thread.done = null;
  }
}
