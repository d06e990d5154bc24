/**
 * Faults of the storage underneath Accord, told apart from people's mistakes: a full disk,
 * a read-only file, an input/output error. None is the user's doing and none may take the
 * process down; each is answered with "try again later" and a sentence saying why.
 */

/** SQLite result codes (better-sqlite3's `SqliteError.code`) that mean the storage, not the request, failed. */
const STORAGE_FAULTS: ReadonlyArray<[prefix: string, sentence: string]> = [
  ["SQLITE_FULL", "the server's disk is full"],
  ["SQLITE_READONLY", "the server's database is read-only"],
  ["SQLITE_IOERR", "the server's disk reported an input/output error"],
  ["SQLITE_CANTOPEN", "the server cannot open its database files"],
  ["SQLITE_BUSY", "the server's database is busy"],
  ["SQLITE_LOCKED", "the server's database is busy"],
  ["SQLITE_PROTOCOL", "the server's database is busy"],
  ["SQLITE_CORRUPT", "the server's database is damaged"],
  ["SQLITE_NOTADB", "the server's database is damaged"],
];

/** Node's own codes for the same faults (fsync, open). */
const NODE_FAULTS: Readonly<Record<string, string>> = {
  ENOSPC: "the server's disk is full",
  EDQUOT: "the server's disk quota is exhausted",
  EROFS: "the server's disk is read-only",
  EIO: "the server's disk reported an input/output error",
};

/** Why the storage failed, as a sentence, if `error` is a storage fault; null for anything else. */
export function storageFault(error: unknown): string | null {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code !== "string") return null;
  for (const [prefix, sentence] of STORAGE_FAULTS) if (code === prefix || code.startsWith(`${prefix}_`)) return sentence;
  return NODE_FAULTS[code] ?? null;
}

/**
 * Whether `error` is PostgreSQL refusing a value for its type (SQLSTATE class 22, data
 * exception: a malformed number, one out of range, a character the encoding cannot hold),
 * which SQLite, with no column types to enforce, would have stored. Every such value comes
 * from a request a check at the edge missed: the caller is told so (400), and the log says
 * which check is missing.
 */
export function refusedValue(error: unknown): boolean {
  const state = (error as { sqlState?: unknown } | null)?.sqlState;
  return typeof state === "string" && state.startsWith("22");
}

/** The sentence a client is told when a write was refused for a storage fault. */
export function retryLater(fault: string): string {
  return `${fault}; nothing was lost and nothing was changed, try again in a moment`;
}

/**
 * A document whose stored text cannot be read back (a damaged snapshot or log row): the
 * document is quarantined, the rest of the server carries on.
 */
export class DamagedText extends Error {
  constructor(
    readonly documentId: string,
    readonly detail: string,
  ) {
    super(`the stored text of document ${documentId} is damaged: ${detail}`);
  }
}
