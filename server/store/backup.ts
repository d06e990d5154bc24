import Database from "better-sqlite3";
import { createHash } from "node:crypto";
import { copyFileSync, createReadStream, existsSync, mkdirSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { SYSTEM, appendAudit } from "../audit/audit.js";
import { headRecord, headSeal, installAuditKey, readHeadRecord, recordHead, writeHeadRecord } from "../audit/head-seal.js";
import { loadAuditKey } from "../audit/key.js";
import { databaseFile, type Config } from "../config.js";
import { openDatabase } from "./db.js";
import { checkBeforeOpen, checkOpened, DatabaseRefused } from "./integrity.js";
import { runningServer } from "./running.js";

/** The head of a database's audit chain as stored in it. */
export interface StoredHead {
  seq: number;
  hash: string;
  seal: string | null;
  keyId: string | null;
}

/** What `npm run backup` writes beside the copy (`<file>.json`): what it is, and where the audit key is. */
export interface BackupManifest {
  format: "accord.backup/1";
  createdAt: string;
  /** The database copied. */
  source: string;
  bytes: number;
  sha256: string;
  /** The audit chain's head in the copy. */
  auditHead: StoredHead | null;
  /** The key that seals that head: not in the backup; restoring needs it. */
  auditKey: { id: string | null; location: string; note: string };
}

function head(db: Database.Database): StoredHead | null {
  const row = db.prepare("SELECT seq, hash, seal, key_id FROM audit_head WHERE id = 1").get() as
    | { seq: number; hash: string; seal: string | null; key_id: string | null }
    | undefined;
  return row ? { seq: row.seq, hash: row.hash, seal: row.seal, keyId: row.key_id } : null;
}

async function sha256Of(file: string): Promise<string> {
  const hash = createHash("sha256");
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest("hex");
}

/**
 * Copies the live database to `target` with SQLite's online backup API, from a connection
 * of its own: in WAL mode it reads a consistent snapshot while the server keeps writing.
 * Each step after the first copies every remaining page at once, so a busy server (whose
 * writes restart a backup in progress) cannot keep it from finishing. The copy is checked
 * and described in `<target>.json`, with where the audit key is, which it does not contain.
 */
export async function backupDatabase(config: Config, target: string): Promise<BackupManifest> {
  const source = databaseFile(config);
  if (!existsSync(source)) throw new DatabaseRefused(`there is no Accord database at ${source} (ACCORD_DATA_DIR) to back up`);
  const file = resolve(target);
  if (existsSync(file)) throw new DatabaseRefused(`${file} exists already; choose a new file name, a backup never overwrites`);
  const tmp = `${file}.partial`;
  rmSync(tmp, { force: true });
  const db = new Database(source, { readonly: true, fileMustExist: true });
  try {
    db.pragma("busy_timeout = 5000");
    await db.backup(tmp, { progress: ({ remainingPages }) => Math.max(remainingPages, 100) });
  } finally {
    db.close();
  }
  const copy = new Database(tmp, { fileMustExist: true });
  let auditHead: StoredHead | null;
  try {
    // The copy inherits the server's WAL mode, whose -wal and -shm files would be left
    // beside the backup; a backup is one file (the server sets WAL again when it opens it).
    copy.pragma("journal_mode = DELETE");
    const check = copy.pragma("quick_check", { simple: true });
    if (check !== "ok") throw new DatabaseRefused(`the copy failed SQLite's integrity check (${String(check)}); nothing was kept`);
    auditHead = head(copy);
  } finally {
    copy.close();
  }
  renameSync(tmp, file);
  const key = loadAuditKey(config, false);
  const location = config.auditKey !== null ? "ACCORD_AUDIT_KEY (the environment of the server)" : config.auditKeyFile;
  const manifest: BackupManifest = {
    format: "accord.backup/1",
    createdAt: new Date().toISOString(),
    source,
    bytes: statSync(file).size,
    sha256: await sha256Of(file),
    auditHead,
    auditKey: {
      id: key?.id ?? null,
      location,
      note: "The audit key is not in the backup. Keep a copy of it apart from the backups: a restore needs the key that sealed this chain, or every verification fails.",
    },
  };
  writeFileSync(`${file}.json`, `${JSON.stringify(manifest, null, 2)}\n`);
  return manifest;
}

/** What a restore did. */
export interface Restored {
  target: string;
  /** Where the database that was there before went, if there was one. */
  previous: string | null;
  auditHead: StoredHead | null;
  /** Whether the audit key at hand seals the restored chain. */
  keyMatches: boolean;
}

/**
 * Brings a backup back into the data folder. Refused while a server runs on that folder,
 * for a file that is not an Accord database, and (unless `force`) when the audit key at
 * hand did not seal the backup's chain, since the restored server's verification would
 * then fail. The database that was there is kept beside it. With the right key the record
 * of the sealed head is set back to the backup's head (a restore is the one deliberate
 * rollback) and the restore itself is added to the audit trail.
 */
export function restoreDatabase(config: Config, backup: string, options: { force?: boolean } = {}): Restored {
  const file = resolve(backup);
  const target = databaseFile(config);
  const pid = runningServer(config.dataDir);
  if (pid !== null) throw new DatabaseRefused(`a server (process ${pid}) is running on ${config.dataDir}; stop it before restoring`);
  if (!existsSync(file)) throw new DatabaseRefused(`there is no file ${file}`);
  checkBeforeOpen(file);
  mkdirSync(dirname(target), { recursive: true });
  const staged = join(dirname(target), `accord.sqlite.restoring-${process.pid}`);
  let restoredHead: StoredHead | null;
  let tablesFound: string[];
  try {
    copyFileSync(file, staged);
    const db = new Database(staged, { fileMustExist: true });
    try {
      tablesFound = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").pluck().all() as string[];
      checkOpened(db, file);
      if (!tablesFound.includes("audit_events") || !tablesFound.includes("meetings")) throw new DatabaseRefused(`${file} is not an Accord database (it has none of Accord's tables)`);
      restoredHead = head(db);
    } finally {
      db.close();
    }
  } catch (error) {
    rmSync(staged, { force: true });
    if (error instanceof DatabaseRefused) throw error;
    throw new DatabaseRefused(`${file} is not an Accord database: ${(error as Error).message}`);
  }
  const key = loadAuditKey(config, false);
  const keyMatches =
    key !== null && restoredHead !== null && restoredHead.keyId === key.id && restoredHead.seal === headSeal(key, restoredHead.seq, restoredHead.hash);
  if (!keyMatches && restoredHead !== null && !options.force) {
    rmSync(staged, { force: true });
    throw new DatabaseRefused(
      key === null
        ? `the backup's audit chain is sealed with audit key ${restoredHead.keyId}, and there is no audit key at ${config.auditKeyFile}: put that key there (or set ACCORD_AUDIT_KEY_FILE / ACCORD_AUDIT_KEY) and restore again`
        : `the backup's audit chain is sealed with audit key ${restoredHead.keyId}, but the key at hand (${key.source}) is ${key.id}: the restored server's verification would fail. Use the key that came with the backup, or pass --force to restore anyway`,
    );
  }
  let previous: string | null = null;
  if (existsSync(target)) {
    previous = `${target}.before-restore-${new Date().toISOString().replace(/[:.]/g, "-")}`;
    for (const suffix of ["", "-wal", "-shm"]) if (existsSync(target + suffix)) renameSync(target + suffix, previous + suffix);
  }
  renameSync(staged, target);
  if (keyMatches && key && restoredHead) {
    const before = readHeadRecord(key.headFile);
    writeHeadRecord(key.headFile, headRecord(key, restoredHead.seq, restoredHead.hash));
    const db = openDatabase(target, config.sync);
    try {
      installAuditKey(db, key);
      const meetingId = db.prepare("SELECT id FROM meetings ORDER BY created_at LIMIT 1").pluck().get() as string | undefined;
      if (meetingId)
        db.transaction(() =>
          appendAudit(db, SYSTEM, {
            meetingId,
            action: "database.restored",
            details: {
              backup: file,
              restoredHead: restoredHead.seq,
              recordedBefore: before && before !== "unreadable" && before.keyId === key.id ? before.seq : null,
            },
          }),
        )();
      // Recorded now: the microtask that would record it runs after this connection closes.
      recordHead(db);
    } finally {
      db.close();
    }
  }
  return { target, previous, auditHead: restoredHead, keyMatches };
}
