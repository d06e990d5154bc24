import { createHmac, timingSafeEqual } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import type { Db } from "../store/db.js";
import type { Config } from "../config.js";
import { loadAuditKey, type AuditKey } from "./key.js";

/**
 * The sealed head of the audit chain, as recorded in the file next to the audit key. The
 * database holds the current head and its seal too; the file is what a rollback cannot
 * reach: deleting the last events and moving the head back to an older, once-valid seal
 * leaves the file naming an event the database no longer has.
 */
export interface HeadRecord {
  format: "accord.audit-head/1";
  seq: number;
  hash: string;
  seal: string;
  keyId: string;
  at: string;
}

interface HeadRow {
  seq: number;
  hash: string;
  seal: string | null;
  key_id: string | null;
}

const keys = new WeakMap<Db, AuditKey>();
const recorded = new WeakMap<Db, number>();
const pending = new WeakSet<Db>();

/** HMAC-SHA-256, under the audit key, of the head's sequence number and hash. */
export function headSeal(key: Pick<AuditKey, "secret">, seq: number, hash: string): string {
  return createHmac("sha256", key.secret).update(`accord.audit-head/1\n${seq}\n${hash}`).digest("hex");
}

function sealMatches(key: AuditKey, seq: number, hash: string, seal: string | null): boolean {
  if (!seal || seal.length !== 64) return false;
  return timingSafeEqual(Buffer.from(headSeal(key, seq, hash), "hex"), Buffer.from(seal, "hex"));
}

function headRow(db: Db): HeadRow | undefined {
  return db.prepare("SELECT seq, hash, seal, key_id FROM audit_head WHERE id = 1").get() as HeadRow | undefined;
}

/**
 * Makes `key` seal every head this connection writes. A head written before the chain was
 * sealed (an older database) is sealed now, trusting it as found; a head sealed with
 * another key is left as it is, for verification to report. Then records the head.
 */
export function installAuditKey(db: Db, key: AuditKey): void {
  keys.set(db, key);
  const head = headRow(db);
  // A new, empty database beside the record of an old one (the data folder was deleted to
  // start over, the key folder kept): the record is set aside, not held against it.
  if (!head && existsSync(key.headFile)) {
    const aside = `${key.headFile}.before-${new Date().toISOString().replace(/[:.]/g, "-")}`;
    renameSync(key.headFile, aside);
    console.warn(`the audit chain is empty; the record of an earlier chain's head was moved to ${aside}`);
  }
  if (head && head.seal === null) db.prepare("UPDATE audit_head SET seal = ?, key_id = ? WHERE id = 1").run(headSeal(key, head.seq, head.hash), key.id);
  recordHead(db);
}

/**
 * The seal of a head about to be written by `appendAudit` (inside its transaction), and
 * the file record queued for after the transaction: a microtask runs only once the
 * synchronous transaction is over, and records whatever head it then finds committed, so
 * a rolled-back event is never recorded.
 */
export function sealNewHead(db: Db, seq: number, hash: string): { seal: string | null; keyId: string | null } {
  const key = keys.get(db);
  if (!key) return { seal: null, keyId: null };
  if (!pending.has(db)) {
    pending.add(db);
    queueMicrotask(() => {
      pending.delete(db);
      try {
        if (db.open) recordHead(db);
      } catch (error) {
        // A full disk or a missing key folder must not fail the command that already
        // committed; verification reports a record that lags behind.
        console.error(`could not record the sealed audit head: ${(error as Error).message}`);
      }
    });
  }
  return { seal: headSeal(key, seq, hash), keyId: key.id };
}

/** Reads the head record next to the key; null when there is none, "unreadable" when it is not one. */
export function readHeadRecord(file: string): HeadRecord | null | "unreadable" {
  if (!existsSync(file)) return null;
  try {
    const record = JSON.parse(readFileSync(file, "utf8")) as HeadRecord;
    if (record.format !== "accord.audit-head/1" || !Number.isInteger(record.seq) || typeof record.hash !== "string") return "unreadable";
    return record;
  } catch {
    return "unreadable";
  }
}

/** Writes a head record (a temporary file renamed over the old one, so a crash leaves one or the other). */
export function writeHeadRecord(file: string, record: HeadRecord): void {
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(record, null, 2)}\n`, { mode: 0o600 });
  renameSync(tmp, file);
}

/** A record of the committed head, sealed with `key`. */
export function headRecord(key: AuditKey, seq: number, hash: string): HeadRecord {
  return { format: "accord.audit-head/1", seq, hash, seal: headSeal(key, seq, hash), keyId: key.id, at: new Date().toISOString() };
}

/**
 * Records the committed head in the file next to the key, when it is sealed with this key
 * and further along than the record. The record never moves back: only a restore, which
 * an operator runs on purpose, rewrites it.
 */
export function recordHead(db: Db): void {
  const key = keys.get(db);
  const head = headRow(db);
  if (!key || !head || head.key_id !== key.id || !sealMatches(key, head.seq, head.hash, head.seal)) return;
  if ((recorded.get(db) ?? 0) >= head.seq) return;
  const current = readHeadRecord(key.headFile);
  if (current !== null && current !== "unreadable" && current.keyId === key.id && current.seq >= head.seq) {
    recorded.set(db, current.seq);
    return;
  }
  writeHeadRecord(key.headFile, headRecord(key, head.seq, head.hash));
  recorded.set(db, head.seq);
}

/** What checking the seal found: nothing wrong, or sentences that say what. */
export interface SealCheck {
  ok: boolean;
  /** The id of the key the head is sealed with (null: not sealed). */
  keyId: string | null;
  /** The last event recorded outside the database. */
  recordedSeq: number | null;
  problems: string[];
}

/**
 * Checks the head against the audit key: it carries this key's seal, and the record next
 * to the key names an event the chain still has, with the same hash. Call it after the
 * chain itself was walked and found whole up to the head.
 */
export function checkHeadSeal(db: Db): SealCheck {
  const key = keys.get(db);
  const head = headRow(db);
  const problems: string[] = [];
  if (!key) return { ok: false, keyId: head?.key_id ?? null, recordedSeq: null, problems: ["this server has no audit key installed, so the chain's seal cannot be checked"] };
  if (!head) return { ok: true, keyId: null, recordedSeq: null, problems };
  if (head.key_id !== key.id)
    problems.push(
      head.key_id
        ? `the audit chain is sealed with audit key ${head.key_id}, not with this server's key ${key.id}: restore the key that came with this database, or the chain was rewritten`
        : `the head of the audit chain (event ${head.seq}) carries no seal: the chain was rewritten without the audit key`,
    );
  else if (!sealMatches(key, head.seq, head.hash, head.seal))
    problems.push(`the head of the audit chain (event ${head.seq}) does not carry the audit key's seal: the chain was rewritten without the key`);
  const record = readHeadRecord(key.headFile);
  let recordedSeq: number | null = null;
  if (record === null) problems.push(`the record of the sealed head (${key.headFile}) is missing`);
  else if (record === "unreadable") problems.push(`the record of the sealed head (${key.headFile}) is not readable`);
  else if (record.keyId !== key.id || !sealMatches(key, record.seq, record.hash, record.seal))
    problems.push(`the record of the sealed head (${key.headFile}) is not sealed with this server's audit key`);
  else {
    recordedSeq = record.seq;
    if (record.seq > head.seq)
      problems.push(`events ${head.seq + 1} to ${record.seq} were sealed and recorded outside the database but are missing from it: events were deleted and the head moved back`);
    else {
      const hash = db.prepare("SELECT hash FROM audit_events WHERE seq = ?").pluck().get(record.seq) as string | undefined;
      if (hash !== record.hash) problems.push(`event ${record.seq} is not the event that was sealed and recorded outside the database: the chain was rewritten`);
    }
  }
  return { ok: problems.length === 0, keyId: head.key_id, recordedSeq, problems };
}

/**
 * Loads (or, for a database whose chain is not sealed yet, creates) the audit key and
 * installs it. Refuses, with a sentence, a sealed database whose key is absent: a freshly
 * generated key would only make every later verification fail.
 */
export function setUpAuditKey(db: Db, config: Pick<Config, "auditKey" | "auditKeyFile">): AuditKey {
  const sealedWith = (db.prepare("SELECT key_id FROM audit_head WHERE id = 1").pluck().get() as string | null | undefined) ?? null;
  const key = loadAuditKey(config, sealedWith === null);
  if (!key)
    throw new Error(
      `this database's audit chain is sealed with audit key ${sealedWith}, and there is no key at ${config.auditKeyFile}: ` +
        "put that key file back, or point ACCORD_AUDIT_KEY_FILE (or ACCORD_AUDIT_KEY) at it; a new key would make every verification fail",
    );
  installAuditKey(db, key);
  return key;
}
