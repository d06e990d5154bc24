import { closeSync, fsyncSync, openSync } from "node:fs";
import type { AppContext } from "../context.js";
import { sqliteOf } from "../store/db.js";

/**
 * Makes durable everything this process has just read from the store, before it serves
 * it: a relay's replica and its catch-up, a new owner's text after a takeover. Those are
 * read from commits another process made, and they reach clients from here.
 *
 * On PostgreSQL a commit is durable before anyone can read it, so there is nothing to do.
 * SQLite's owner commits its text with `synchronous=NORMAL` and then fsyncs the WAL
 * itself (server/collab/wal-sync.ts), broadcasting only after that fsync; another
 * process reading the same file sees the commit as soon as its frames are written, before
 * that fsync. Here the WAL file is fsynced after the read: every frame the read could see
 * was written before it, so once this returns all of it is on disk (frames a checkpoint
 * has moved into the database file were synced there by the checkpoint). Where the
 * operator chose `ACCORD_SYNC=normal`, commits are not meant to survive a power cut, and
 * reads are served as they are.
 */
export function syncCommitted(ctx: Pick<AppContext, "db" | "config">): void {
  if (ctx.config.sync !== "full") return;
  const sqlite = sqliteOf(ctx.db);
  if (sqlite === null || sqlite.memory) return;
  let fd: number;
  try {
    fd = openSync(`${sqlite.name}-wal`, "r");
  } catch {
    return; // no WAL file: every commit is in the database file, synced when it got there
  }
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}
