import { asSqliteDb } from "../server/store/db.js";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { expect, test } from "vitest";
import { WalCheckpointer } from "../server/collab/wal-checkpoint.js";

test("a server closed (its folder removed) before the checkpoint worker opened the file ends quietly", async () => {
  const dir = mkdtempSync(join(tmpdir(), "accord-wal-"));
  const db = asSqliteDb(new Database(join(dir, "accord.db")));
  db.pragma("journal_mode = WAL");
  const errors: unknown[] = [];
  const onError = (error: unknown) => errors.push(error);
  process.on("uncaughtException", onError);
  try {
    const checkpointer = new WalCheckpointer(db, 50);
    db.close();
    rmSync(dir, { recursive: true, force: true });
    await checkpointer.stopped;
  } finally {
    process.off("uncaughtException", onError);
  }
  expect(errors).toEqual([]);
});

test("the worker checkpoints the WAL and ends after close", async () => {
  const dir = mkdtempSync(join(tmpdir(), "accord-wal-"));
  const db = asSqliteDb(new Database(join(dir, "accord.db")));
  db.pragma("journal_mode = WAL");
  const checkpointer = new WalCheckpointer(db, 20);
  expect(db.pragma("wal_autocheckpoint", { simple: true })).toBe(0);
  checkpointer.close();
  await checkpointer.stopped;
  db.close();
  rmSync(dir, { recursive: true, force: true });
});
