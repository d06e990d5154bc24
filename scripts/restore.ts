/**
 * `npm run restore -- <file> [--force]`: brings a backup back into ACCORD_DATA_DIR.
 * Refused while a server runs on that folder, for a file that is not an Accord database,
 * and, without --force, when the audit key at hand (ACCORD_AUDIT_KEY_FILE or
 * ACCORD_AUDIT_KEY) did not seal the backup's audit chain. The database that was there is
 * kept beside it as `accord.sqlite.before-restore-<time>`.
 */
import { loadConfig } from "../server/config.js";
import { restoreDatabase } from "../server/store/backup.js";
import { DatabaseRefused } from "../server/store/integrity.js";

const args = process.argv.slice(2);
const force = args.includes("--force");
const file = args.find((a) => a !== "--force");
if (!file) {
  console.error("usage: npm run restore -- <file> [--force]");
  process.exit(2);
}
try {
  const r = restoreDatabase(loadConfig(), file, { force });
  console.log(`Restored ${file} into ${r.target}.`);
  if (r.previous) console.log(`The database that was there is kept as ${r.previous}.`);
  if (r.auditHead) console.log(`Audit chain: ${r.auditHead.seq} events at the backup, sealed with audit key ${r.auditHead.keyId ?? "(none)"}.`);
  if (!r.keyMatches && r.auditHead)
    console.log("WARNING: the audit key at hand did not seal this chain; the restored server's verification will say so until the right key is in place.");
  console.log("Start the server with npm start; the Lifecycle panel's verification checks the audit chain and the signatures.");
} catch (error) {
  console.error(error instanceof DatabaseRefused ? `Not restored: ${error.message}` : error);
  process.exit(1);
}
