import { createRequire } from "node:module";
import { Worker } from "node:worker_threads";
import { sqliteOf, type Db } from "../store/db.js";

// The worker is plain JavaScript evaluated from this string, so it needs no TypeScript loader.
const WORKER_SOURCE = `
const { parentPort, workerData } = require("node:worker_threads");
const Database = require(workerData.driver);
const db = new Database(workerData.file);
const checkpoint = () => { try { db.pragma("wal_checkpoint(PASSIVE)"); } catch {} };
const timer = setInterval(checkpoint, workerData.intervalMs);
parentPort.on("message", () => { clearInterval(timer); checkpoint(); db.close(); parentPort.close(); });
`;

/**
 * Moves WAL checkpoints off the main thread. SQLite's automatic checkpoint runs inside
 * whichever commit crosses 1,000 pages and fsyncs the WAL and the database there: under
 * load, a flush on the main thread would now and then wait for the disk twice. Instead
 * the main connection never checkpoints, and a worker thread with its own connection runs
 * a PASSIVE checkpoint (which never blocks writers) every `intervalMs`.
 */
export class WalCheckpointer {
  private worker: Worker | null = null;
  /** Settles once the worker thread has ended (at once when there is none). */
  readonly stopped: Promise<void>;

  constructor(store: Db, intervalMs = 500) {
    let ended = () => {};
    this.stopped = new Promise<void>((resolve) => {
      ended = resolve;
    });
    // PostgreSQL checkpoints by itself; an in-memory SQLite database has no WAL file.
    const db = sqliteOf(store);
    if (!db || db.memory) {
      ended();
      return;
    }
    try {
      const driver = createRequire(import.meta.url).resolve("better-sqlite3");
      this.worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { driver, file: db.name, intervalMs } });
      this.worker.unref();
      this.worker.on("exit", () => ended());
      this.worker.on("error", (error) => {
        this.worker = null;
        // A server closed before its worker opened the file (or whose folder is gone) has
        // nothing left to checkpoint; touching the closed connection would throw here, in
        // an event handler, where nothing can catch it.
        if (!db.open) return;
        console.error("WAL checkpoints are back on the main thread:", error);
        db.pragma("wal_autocheckpoint = 1000");
      });
      db.pragma("wal_autocheckpoint = 0");
    } catch (error) {
      console.error("WAL checkpoints stay on the main thread:", error);
      this.worker = null;
      ended();
    }
  }

  /** Stops the worker after one last checkpoint. */
  close(): void {
    this.worker?.postMessage("close");
    this.worker = null;
  }
}
