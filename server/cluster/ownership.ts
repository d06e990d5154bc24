import { HttpError } from "../http/errors.js";
import type { Db } from "../store/db.js";
import type { TextFence } from "../store/text-store.js";
import { DocumentLeases, type HeldLease, type LeaseRow } from "./leases.js";

/** Another live process owns the document: its live text is served there (websockets are relayed, requests forwarded). */
export class OwnedElsewhere extends HttpError {
  constructor(readonly owner: LeaseRow) {
    super(503, `this document is served by ${owner.process}; try again`, undefined, "document.owned_elsewhere", { process: owner.process });
  }
}

/**
 * This process lost a document it served (its lease expired and another process took it
 * over, or the store refused its token): nothing more of it is stored from here.
 */
export class OwnershipLost extends HttpError {
  constructor(readonly documentId: string) {
    super(503, "this document moved to another process; try again", undefined, "document.owner_changed");
  }
}

/** What this process owns, as the rooms and the text store ask it. */
export interface DocumentOwnership {
  /** Takes the document for this process (nothing when it has it); throws `OwnedElsewhere` when another live process has it. */
  claim(documentId: string): void;
  /** The fencing token of this process's lease on the document, or null when it holds none. */
  token(documentId: string): number | null;
  /** When this process's lease on the document expires unless renewed again, as it last wrote it (ms), or null when it holds none. */
  expiresAt(documentId: string): number | null;
  /** Whether this process holds the document's lease now. */
  owns(documentId: string): boolean;
  /** Lets the document go (its room closed here). */
  release(documentId: string): void;
  /** The text store's fence: each write of a document's text checks this process's lease on it, `OwnershipLost` when it is not live in the store. */
  readonly fence: TextFence;
  /** The document's live lease, whoever holds it. */
  owner(documentId: string): LeaseRow | null;
  /** Stops renewing and releases every lease (shutdown). */
  close(): void;
}

// Renewals per lease lifetime: a renewal late by up to four fifths of the lease (a stalled
// event loop, a slow store) still lands before it expires.
const RENEWALS_PER_LEASE = 5;

/**
 * The leases of the documents this process serves: taken when a room opens, renewed five
 * times per lifetime while it is open, released when it closes. A renewal that finds
 * the lease gone (this process was paused or cut off longer than the lease, and another
 * took the document) tells `onLost`, which drops the room: its clients reconnect, through
 * the balancer, to whoever owns the document now.
 */
export class Ownership implements DocumentOwnership {
  private readonly leases: DocumentLeases;
  private readonly held = new Map<string, HeldLease>();
  private readonly timer: NodeJS.Timeout;
  readonly fence: TextFence;

  constructor(
    db: Db,
    me: { holder: string; process: string; url: string | null },
    ttlMs: number,
    private readonly onLost: (documentId: string) => void,
  ) {
    this.leases = new DocumentLeases(db, { holder: me.holder, process: me.process, pid: process.pid, url: me.url }, ttlMs);
    this.fence = { holder: me.holder, token: (documentId) => this.token(documentId), refused: (documentId) => new OwnershipLost(documentId) };
    this.timer = setInterval(() => this.renewAll(), Math.max(100, Math.floor(ttlMs / RENEWALS_PER_LEASE)));
    this.timer.unref();
  }

  claim(documentId: string): void {
    if (this.held.has(documentId)) return;
    const lease = this.leases.acquire(documentId);
    if (lease === null) {
      const owner = this.leases.live(documentId);
      // Expired between the two reads: the next claim takes it.
      if (owner === null) throw new HttpError(503, "this document is changing hands; try again", undefined, "document.owner_changed");
      throw new OwnedElsewhere(owner);
    }
    this.held.set(documentId, lease);
  }

  owns(documentId: string): boolean {
    return this.held.has(documentId);
  }

  token(documentId: string): number | null {
    return this.held.get(documentId)?.token ?? null;
  }

  expiresAt(documentId: string): number | null {
    return this.held.get(documentId)?.expiresAt ?? null;
  }

  release(documentId: string): void {
    const lease = this.held.get(documentId);
    if (!lease) return;
    this.held.delete(documentId);
    try {
      this.leases.release(lease);
    } catch (error) {
      // It expires on its own.
      console.error(`could not release the lease of document ${documentId}:`, (error as Error).message);
    }
  }

  owner(documentId: string): LeaseRow | null {
    return this.leases.live(documentId);
  }

  /** Renews every lease held, in one statement; those another process took are dropped and reported. */
  private renewAll(): void {
    const leases = [...this.held.values()];
    if (leases.length === 0) return;
    const now = Date.now();
    let kept: Set<string>;
    try {
      kept = this.leases.renewAll(leases, now);
    } catch (error) {
      // The store did not answer: the leases run on; those that expire, the fence refuses our writes to.
      console.error(`could not renew the leases of ${leases.length} documents:`, (error as Error).message);
      return;
    }
    for (const lease of leases) if (kept.has(lease.documentId)) lease.expiresAt = now + this.leases.ttlMs;
    const lost = leases.filter((lease) => !kept.has(lease.documentId)).map((lease) => lease.documentId);
    for (const documentId of lost) {
      this.held.delete(documentId);
      this.onLost(documentId);
    }
  }

  close(): void {
    clearInterval(this.timer);
    for (const documentId of [...this.held.keys()]) this.release(documentId);
  }
}
