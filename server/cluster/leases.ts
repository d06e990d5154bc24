import type { Db } from "../store/db.js";
import { leaseHeldSql, leasesParameter } from "../store/lease-sql.js";

/** Who this process is, as written into the leases it holds. */
export interface LeaseHolder {
  /** One run of one process: its name, pid and a random part (a restarted process is another holder). */
  holder: string;
  process: string;
  pid: number;
  /** Where other processes reach it directly (forwarded requests), or null. */
  url: string | null;
}

/** A lease this process holds: the document and the fencing token it writes with. */
export interface Lease {
  documentId: string;
  token: number;
}

/** A lease as this process took or last renewed it: with when it expires unless renewed again (ms, this process's clock, as written into the store). */
export interface HeldLease extends Lease {
  expiresAt: number;
}

/** The live holder of a document's lease, as other processes see it. */
export interface LeaseRow {
  documentId: string;
  holder: string;
  process: string;
  pid: number;
  url: string | null;
  token: number;
  expiresAt: number;
}

interface Row {
  alive: number;
  holder: string;
  process: string;
  pid: number | string;
  url: string | null;
  token: number | string;
  expires_at: number | string;
}

// The first key of every holder's session lock on PostgreSQL (the second is the hash of
// the holder): a namespace of Accord's own among the database's advisory locks.
const HOLDER_LOCKS = 0x41636364;

/**
 * On PostgreSQL, whether `holder` (a column or a parameter) still has its session: its
 * process took an advisory lock on its connection at start, which PostgreSQL lets go the
 * moment that connection ends (a killed process's connections end with it). A hash shared
 * with a live holder only makes a dead one look alive: its leases then wait for expiry.
 */
const holderAlive = (holder: string) =>
  `EXISTS (SELECT 1 FROM pg_locks l WHERE l.locktype = 'advisory' AND l.granted AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
     AND l.classid = ${HOLDER_LOCKS} AND l.objsubid = 2 AND l.objid::bigint = (hashtext(${holder})::bigint & 4294967295))`;

/**
 * The table of document leases (`document_owners`): taking a free or expired lease (the
 * token grows by one at every change of holder), renewing every lease of this process at
 * once, releasing, and the check the text store makes inside its write transaction
 * (`leaseHeldSql`). Each step is one statement, atomic in SQLite and PostgreSQL alike, so
 * two processes racing for a document cannot both win.
 *
 * On PostgreSQL a lease is also free as soon as its holder's session is gone
 * (`holderAlive`): a killed owner's documents are taken over when the first process asks,
 * not a lease later. The fencing token makes that safe for a holder that is only cut off
 * from the store and comes back: its token is stale, its writes refused.
 */
export class DocumentLeases {
  private readonly take;
  private readonly renewSome;
  private readonly releaseOne;
  private readonly selectRow;
  private readonly selectLive;

  constructor(
    db: Db,
    private readonly me: LeaseHolder,
    /** How long a lease lasts from its last renewal, ms. */
    readonly ttlMs: number,
  ) {
    const postgres = db.dialect === "postgres";
    if (postgres && db.prepare(`SELECT pg_try_advisory_lock(${HOLDER_LOCKS}, hashtext(?))`).pluck().get(me.holder) !== 1)
      console.error(`cluster: another session holds the lock of holder ${me.holder}; a dead owner's documents wait for their leases to expire`);
    // Taken when nobody holds it, when its holder let it expire (or, on PostgreSQL, lost its
    // session), or when it is ours already; the token stays only when it was ours and still live.
    this.take = db
      .prepare(
      `INSERT INTO document_owners (document_id, holder, process, pid, url, token, expires_at) VALUES (@id, @holder, @process, @pid, @url, 1, @expires)
       ON CONFLICT (document_id) DO UPDATE SET holder = excluded.holder, process = excluded.process, pid = excluded.pid, url = excluded.url,
         token = CASE WHEN document_owners.holder = excluded.holder AND document_owners.expires_at > @now THEN document_owners.token ELSE document_owners.token + 1 END,
         expires_at = excluded.expires_at
       WHERE document_owners.expires_at <= @now OR document_owners.holder = excluded.holder${postgres ? ` OR NOT ${holderAlive("document_owners.holder")}` : ""}
       RETURNING token`,
      )
      .pluck();
    // A lease nobody took over while it was expired is still ours: same token, nobody else wrote.
    // All of them in one statement (on PostgreSQL each is a round trip the main thread waits
    // for): the documents by their key, then each with its own token (`leasesParameter`).
    this.renewSome = db
      .prepare(
        `UPDATE document_owners SET expires_at = ? WHERE holder = ? AND document_id IN (SELECT value FROM json_each(?))
         AND (document_id || ':' || token) IN (SELECT value FROM json_each(?)) RETURNING document_id`,
      )
      .pluck();
    this.releaseOne = db.prepare("UPDATE document_owners SET expires_at = 0 WHERE document_id = ? AND holder = ? AND token = ?");
    this.selectRow = db.prepare(
      `SELECT ${postgres ? holderAlive("holder") : "1"} AS alive, holder, process, pid, url, token, expires_at FROM document_owners WHERE document_id = ?`,
    );
    this.selectLive = db.prepare(`SELECT ${leaseHeldSql(db.dialect, "?")} AS held`).pluck();
  }

  /** Takes the document's lease for this process, or null when another process holds a live one. */
  acquire(documentId: string, now = Date.now()): HeldLease | null {
    const token = this.take.get({ id: documentId, holder: this.me.holder, process: this.me.process, pid: this.me.pid, url: this.me.url, expires: now + this.ttlMs, now }) as
      | number
      | string
      | undefined;
    return token === undefined ? null : { documentId, token: Number(token), expiresAt: now + this.ttlMs };
  }

  /** Extends a lease; false when it is no longer ours (another process took it over). */
  renew(lease: Lease, now = Date.now()): boolean {
    return this.renewAll([lease], now).has(lease.documentId);
  }

  /** Extends every lease given, in one statement; returns the documents whose leases were still ours (the others were taken over). */
  renewAll(leases: readonly Lease[], now = Date.now()): Set<string> {
    if (leases.length === 0) return new Set();
    const ids = JSON.stringify(leases.map((l) => l.documentId));
    return new Set(this.renewSome.all(now + this.ttlMs, this.me.holder, ids, leasesParameter(leases)) as string[]);
  }

  /** Lets a lease go at once (the document was closed here): another process may take it without waiting. */
  release(lease: Lease): void {
    this.releaseOne.run(lease.documentId, this.me.holder, lease.token);
  }

  /** Whether `lease` is this process's and live now (what the text store's writes check as they write: `leaseHeldSql`). */
  holds(lease: Lease, now = Date.now()): boolean {
    return Number(this.selectLive.get(lease.documentId, this.me.holder, leasesParameter([lease]), now)) === 1;
  }

  /** The document's live lease, whoever holds it, or null when none is (expired, or its holder's session gone). */
  live(documentId: string, now = Date.now()): LeaseRow | null {
    const row = this.selectRow.get(documentId) as Row | undefined;
    if (!row || Number(row.expires_at) <= now || !Number(row.alive)) return null;
    return {
      documentId,
      holder: row.holder,
      process: row.process,
      pid: Number(row.pid),
      url: row.url,
      token: Number(row.token),
      expiresAt: Number(row.expires_at),
    };
  }
}
