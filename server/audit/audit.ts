import { createHash } from "node:crypto";
import { stableStringify } from "../../schema/hash.js";
import { serialise, type Db } from "../store/db.js";
import { statement } from "../store/statements.js";
import type { Actor } from "../../schema/roles.js";
import { sealNewHead } from "./head-seal.js";

/** The hash that stands before the first event of the chain. */
const GENESIS_HASH = "0".repeat(64);

/** Who did something, as recorded in the audit trail. */
export interface AuditActor {
  id: string | null;
  username: string | null;
  role: string | null;
  delegation: string | null;
}

/** The system itself (seeding, automatic transitions), as an audit actor. */
export const SYSTEM: AuditActor = { id: null, username: "system", role: null, delegation: null };

/** What happened, before it is chained. */
export interface AuditInput {
  meetingId: string;
  documentId?: string | null;
  action: string;
  targetType?: string | null;
  targetId?: string | null;
  /** Anything that explains the event: before/after, reasons, hashes. */
  details?: Record<string, unknown>;
}

/** An event as stored and returned by the API. */
export interface AuditEvent {
  seq: number;
  meetingId: string;
  documentId: string | null;
  at: string;
  userId: string | null;
  username: string | null;
  role: string | null;
  delegation: string | null;
  action: string;
  targetType: string | null;
  targetId: string | null;
  details: Record<string, unknown>;
  prevHash: string;
  hash: string;
}

interface AuditRow {
  seq: number;
  meeting_id: string;
  document_id: string | null;
  at: string;
  user_id: string | null;
  username: string | null;
  role: string | null;
  delegation: string | null;
  action: string;
  target_type: string | null;
  target_id: string | null;
  details: string;
  prev_hash: string;
  hash: string;
}

/**
 * The hash of an event: SHA-256 over the previous hash and every recorded field, as the
 * sorted-key JSON `stableStringify` would write. The keys are listed here in sorted order
 * and every value is a primitive, so plain JSON.stringify gives the same bytes without
 * sorting, and node's native SHA-256 the same digest: verifying a long chain is the hot
 * path of every verification.
 */
export function eventHash(row: Omit<AuditRow, "hash">): string {
  const json = JSON.stringify({
    action: row.action,
    at: row.at,
    delegation: row.delegation,
    details: row.details,
    documentId: row.document_id,
    meetingId: row.meeting_id,
    prevHash: row.prev_hash,
    role: row.role,
    seq: row.seq,
    targetId: row.target_id,
    targetType: row.target_type,
    userId: row.user_id,
    username: row.username,
  });
  return createHash("sha256").update(json, "utf8").digest("hex");
}

/** An Actor (or the system) as an audit actor. */
export function auditActor(actor: (Actor & { username: string }) | AuditActor): AuditActor {
  if ("chairOf" in actor) return { id: actor.id, username: actor.username, role: actor.role, delegation: actor.delegation };
  return actor;
}

/**
 * Appends an event to the chain. Call it inside the transaction that makes the change it
 * records, so that the change and its record commit or fail together.
 */
export function appendAudit(db: Db, who: AuditActor, input: AuditInput): AuditEvent {
  // Several processes may append to one chain (PostgreSQL): each takes the head in turn, so
  // the chain never forks. The lock lasts until the transaction ends, hence one is needed.
  if (!db.inTransaction) return db.transaction(() => appendAudit(db, who, input))();
  serialise(db, AUDIT_CHAIN_LOCK);
  // Chain from the anchor, not from the last row: were the last event deleted, the next one
  // would otherwise take its place and the chain would look whole again.
  const last = (statement(db, "SELECT seq, hash FROM audit_head WHERE id = 1").get() ??
    statement(db, "SELECT seq, hash FROM audit_events ORDER BY seq DESC LIMIT 1").get()) as { seq: number; hash: string } | undefined;
  const row: Omit<AuditRow, "hash"> = {
    seq: (last?.seq ?? 0) + 1,
    meeting_id: input.meetingId,
    document_id: input.documentId ?? null,
    at: new Date().toISOString(),
    user_id: who.id,
    username: who.username,
    role: who.role,
    delegation: who.delegation,
    action: input.action,
    target_type: input.targetType ?? null,
    target_id: input.targetId ?? null,
    details: stableStringify(input.details ?? {}),
    prev_hash: last?.hash ?? GENESIS_HASH,
  };
  const hash = eventHash(row);
  statement(
    db,
    `INSERT INTO audit_events (seq, meeting_id, document_id, at, user_id, username, role, delegation, action,
       target_type, target_id, details, prev_hash, hash)
     VALUES (@seq, @meeting_id, @document_id, @at, @user_id, @username, @role, @delegation, @action,
       @target_type, @target_id, @details, @prev_hash, @hash)`,
  ).run({ ...row, hash });
  // The anchor moves with the chain in the same transaction: a deleted last event breaks no
  // link, but no longer matches it; and its seal, made with a key the database does not
  // hold, is what a recomputed chain cannot forge.
  const { seal, keyId } = sealNewHead(db, row.seq, hash);
  statement(
    db,
    `INSERT INTO audit_head (id, seq, hash, seal, key_id) VALUES (1, ?, ?, ?, ?)
     ON CONFLICT (id) DO UPDATE SET seq = excluded.seq, hash = excluded.hash, seal = excluded.seal, key_id = excluded.key_id`,
  ).run(row.seq, hash, seal, keyId);
  return toEvent({ ...row, hash });
}

function toEvent(row: AuditRow): AuditEvent {
  return {
    seq: row.seq,
    meetingId: row.meeting_id,
    documentId: row.document_id,
    at: row.at,
    userId: row.user_id,
    username: row.username,
    role: row.role,
    delegation: row.delegation,
    action: row.action,
    targetType: row.target_type,
    targetId: row.target_id,
    details: JSON.parse(row.details) as Record<string, unknown>,
    prevHash: row.prev_hash,
    hash: row.hash,
  };
}

/** Filters for listing audit events. */
export interface AuditQuery {
  meetingId: string;
  documentId?: string;
  action?: string;
  username?: string;
  /** Only events with seq greater than this (paging forward). */
  after?: number;
  /** Only events with seq smaller than this (paging back). */
  before?: number;
  /** Only events about this object (a signature, an amendment…). */
  targetId?: string;
  /** Leave out events whose action starts with this prefix (e.g. `session.` for those who may not see sign-ins). */
  hideActionPrefix?: string;
  limit?: number;
}

/** The lock (see `serialise`) that one audit append at a time holds: "accord:audit" in ASCII, shortened. */
const AUDIT_CHAIN_LOCK = 0x61636175;

/** `text` as a LIKE pattern that matches it literally (with `ESCAPE '\'`). */
function likeLiteral(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** Lists a meeting's events in chain order, filtered and paged. */
export function listAudit(db: Db, q: AuditQuery): AuditEvent[] {
  const where = ["meeting_id = @meetingId", "seq > @after"];
  if (q.documentId) where.push("document_id = @documentId");
  // A filter is a literal: "%" or "_" in it must not widen it into a wildcard.
  if (q.action) where.push("(action = @action OR action LIKE @actionPrefix ESCAPE '\\')");
  if (q.hideActionPrefix) where.push("action NOT LIKE @hidden ESCAPE '\\'");
  if (q.username) where.push("username = @username");
  if (q.before !== undefined) where.push("seq < @before");
  if (q.targetId) where.push("target_id = @targetId");
  const rows = db
    .prepare(`SELECT * FROM audit_events WHERE ${where.join(" AND ")} ORDER BY seq LIMIT @limit`)
    .all({
      meetingId: q.meetingId,
      documentId: q.documentId ?? null,
      action: q.action ?? null,
      actionPrefix: q.action ? `${likeLiteral(q.action)}.%` : null,
      hidden: q.hideActionPrefix ? `${likeLiteral(q.hideActionPrefix)}%` : null,
      username: q.username ?? null,
      after: q.after ?? 0,
      before: q.before ?? null,
      targetId: q.targetId ?? null,
      limit: Math.min(Math.max(q.limit ?? 100, 1), 1000),
    }) as AuditRow[];
  return rows.map(toEvent);
}

/** The result of checking the chain: ok, or the first event where it breaks and why. */
export interface ChainCheck {
  ok: boolean;
  checked: number;
  brokenAt?: number;
  problem?: string;
  /** The last event of an unbroken chain, from which a later check may continue. */
  last?: { seq: number; hash: string };
}

/**
 * Walks the whole chain and recomputes every hash. An edited row fails its own hash; a
 * deleted or inserted row breaks the link (prev_hash) or the sequence of the next one; a
 * deleted or added last row no longer matches the anchor kept in `audit_head`. `from` (the
 * `last` of an earlier ok check) continues after events already verified, for callers who
 * know those cannot have changed since.
 */
export function verifyAuditChain(db: Db, from?: { seq: number; hash: string; checked: number }): ChainCheck {
  let prev = from?.hash ?? GENESIS_HASH;
  let expectedSeq = (from?.seq ?? 0) + 1;
  let checked = from?.checked ?? 0;
  for (const row of db.prepare("SELECT * FROM audit_events WHERE seq > ? ORDER BY seq").iterate(from?.seq ?? 0) as IterableIterator<AuditRow>) {
    if (row.seq !== expectedSeq) return { ok: false, checked, brokenAt: row.seq, problem: `event ${expectedSeq} is missing before event ${row.seq}` };
    if (row.prev_hash !== prev) return { ok: false, checked, brokenAt: row.seq, problem: `event ${row.seq} does not link to the event before it` };
    const { hash, ...rest } = row;
    if (eventHash(rest) !== hash) return { ok: false, checked, brokenAt: row.seq, problem: `event ${row.seq} was altered after it was written` };
    prev = hash;
    expectedSeq += 1;
    checked += 1;
  }
  const head = db.prepare("SELECT seq, hash FROM audit_head WHERE id = 1").get() as { seq: number; hash: string } | undefined;
  const last = expectedSeq - 1;
  if (!head) return last === 0 ? { ok: true, checked } : { ok: false, checked, brokenAt: last, problem: "the anchor of the chain is missing" };
  if (head.seq > last) return { ok: false, checked, brokenAt: last + 1, problem: `event ${last + 1} (up to ${head.seq}) is missing at the end of the chain` };
  if (head.seq < last) return { ok: false, checked, brokenAt: head.seq + 1, problem: `event ${head.seq + 1} was added after the last recorded event ${head.seq}` };
  if (head.hash !== prev) return { ok: false, checked, brokenAt: last, problem: `event ${last} is not the last event that was recorded` };
  return { ok: true, checked, last: { seq: last, hash: prev } };
}
