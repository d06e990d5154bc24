/**
 * `npm run backup -- <file>`: a consistent copy of the running server's database, made
 * while people type (SQLite's online backup API, from a connection of its own), with
 * `<file>.json` saying what it holds and where the audit key is (the key is not copied).
 * Reads ACCORD_DATA_DIR, ACCORD_AUDIT_KEY_FILE and ACCORD_AUDIT_KEY as the server does.
 */
import { loadConfig } from "../server/config.js";
import { backupDatabase } from "../server/store/backup.js";
import { DatabaseRefused } from "../server/store/integrity.js";

const target = process.argv[2];
if (!target) {
  console.error("usage: npm run backup -- <file>");
  process.exit(2);
}
try {
  const m = await backupDatabase(loadConfig(), target);
  console.log(`Backed up ${m.source} to ${target} (${(m.bytes / 1024 / 1024).toFixed(1)} MB, sha256 ${m.sha256}).`);
  console.log(m.auditHead ? `Audit chain: ${m.auditHead.seq} events, sealed with audit key ${m.auditHead.keyId ?? "(none)"}.` : "Audit chain: empty.");
  console.log(`The audit key (id ${m.auditKey.id ?? "unknown: no key found"}) is at ${m.auditKey.location}. It is NOT in the backup: keep a copy of it apart from the backups; a restore needs it.`);
  console.log(`Described in ${target}.json.`);
} catch (error) {
  console.error(error instanceof DatabaseRefused ? `No backup: ${error.message}` : error);
  process.exit(1);
}
