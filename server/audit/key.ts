import { createHmac, randomBytes } from "node:crypto";
import { chmodSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import type { Config } from "../config.js";

/** The secret that seals the audit chain's head, and where its records are kept. */
export interface AuditKey {
  /** The secret bytes (never stored in the database, never logged). */
  secret: Buffer;
  /** A public name of the key: an HMAC of a fixed label, so it identifies the key without revealing it. */
  id: string;
  /** Where the key came from, for messages: the file, or the environment. */
  source: string;
  /** The file next to the key where the latest sealed head is recorded. */
  headFile: string;
}

/** The file next to the key (or in the default key folder) where the sealed head is recorded. */
function headFileOf(config: Pick<Config, "auditKeyFile">): string {
  return join(dirname(config.auditKeyFile), "audit-head.json");
}

/** The public id of a key: HMAC-SHA-256 of a fixed label, first 16 hex digits. */
function auditKeyId(secret: Buffer): string {
  return createHmac("sha256", secret).update("accord.audit-key-id/1").digest("hex").slice(0, 16);
}

/**
 * Reads the audit key from ACCORD_AUDIT_KEY or its file; with `create`, generates 32 random
 * bytes into the file (mode 0600, its folder 0700) when there is none. A key given in the
 * environment must be at least 32 characters: it is the only secret between a database
 * file and a forged chain.
 */
export function loadAuditKey(config: Pick<Config, "auditKey" | "auditKeyFile">, create: boolean): AuditKey | null {
  const headFile = headFileOf(config);
  if (config.auditKey !== null) {
    if (config.auditKey.length < 32) throw new Error("ACCORD_AUDIT_KEY must be at least 32 characters (e.g. `openssl rand -hex 32`)");
    const secret = Buffer.from(config.auditKey, "utf8");
    return { secret, id: auditKeyId(secret), source: "ACCORD_AUDIT_KEY", headFile };
  }
  const file = config.auditKeyFile;
  if (!existsSync(file)) {
    if (!create) return null;
    mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
    // "wx": two servers starting at once must not overwrite each other's fresh key.
    writeFileSync(file, `${randomBytes(32).toString("hex")}\n`, { mode: 0o600, flag: "wx" });
  }
  // A key readable by others is tightened rather than refused: the owner meant to keep it.
  if ((statSync(file).mode & 0o077) !== 0) chmodSync(file, 0o600);
  const text = readFileSync(file, "utf8").trim();
  if (text.length < 32) throw new Error(`the audit key file ${file} holds fewer than 32 characters; it is not an Accord audit key`);
  const secret = Buffer.from(text, "utf8");
  return { secret, id: auditKeyId(secret), source: file, headFile };
}
