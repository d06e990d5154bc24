import * as Y from "yjs";
import type { CommandTx } from "../commands/command.js";
import type { AcceptedTextChange } from "../commands/hooks.js";
import type { AppContext } from "../context.js";
import { statement, writeUnanswered } from "../store/statements.js";

/** What a row of `text_authorship` says: who inserted or deleted a range of Yjs ids, and when. */
export interface AuthorshipRange {
  action: "insert" | "delete";
  client: number;
  clock: number;
  length: number;
  userId: string | null;
  username: string | null;
  delegation: string | null;
  role: string | null;
  at: string;
}

/** The ranges of Yjs ids an update inserts (one per run of consecutive structs) and deletes (`decoded`: the update already decoded). */
export function rangesOfUpdate(
  update: Uint8Array,
  decoded: ReturnType<typeof Y.decodeUpdate> = Y.decodeUpdate(update),
): Array<{ action: "insert" | "delete"; client: number; clock: number; length: number }> {
  const { structs, ds } = decoded;
  const ranges: Array<{ action: "insert" | "delete"; client: number; clock: number; length: number }> = [];
  for (const struct of structs) {
    // A Skip is a gap the update does not fill: nobody wrote it here.
    if (struct instanceof Y.Skip) continue;
    const last = ranges[ranges.length - 1];
    if (last && last.client === struct.id.client && last.clock + last.length === struct.id.clock) last.length += struct.length;
    else ranges.push({ action: "insert", client: struct.id.client, clock: struct.id.clock, length: struct.length });
  }
  for (const [client, items] of ds.clients) for (const item of items) ranges.push({ action: "delete", client, clock: item.clock, length: item.len });
  return ranges;
}

/**
 * Reaction to every accepted text change: records who inserted and who deleted which Yjs
 * ids, with their delegation at that moment, in the transaction that stores the update.
 * An id delivered twice (a client resending what the server has) keeps its first author.
 */
export function recordAuthorship(tx: CommandTx, change: AcceptedTextChange): void {
  // The ranges of the whole batch go to the store together, at its end, in arrival order.
  const rows = change.batch.remember("authorship rows", () => {
    const gathered: unknown[][] = [];
    change.batch.atEnd(() => insertAuthorship(tx, gathered));
    return gathered;
  });
  const at = new Date().toISOString();
  const user = change.user;
  for (const r of rangesOfUpdate(change.update, change.decoded))
    rows.push([change.room.id, r.action, r.client, r.clock, r.length, user?.id ?? null, user?.username ?? null, user?.delegation ?? null, user?.role ?? null, at]);
}

// Rows per INSERT: ten parameters each, far under either store's limit on parameters.
const AUTHORSHIP_ROWS = 100;

/**
 * Writes gathered authorship rows, up to AUTHORSHIP_ROWS in one statement (on PostgreSQL
 * each statement is a round trip), without waiting for PostgreSQL's answer: nothing reads
 * it, and a failed insert fails the transaction at its COMMIT.
 */
function insertAuthorship(tx: CommandTx, rows: readonly unknown[][]): void {
  for (let start = 0; start < rows.length; start += AUTHORSHIP_ROWS) {
    const chunk = rows.slice(start, start + AUTHORSHIP_ROWS);
    writeUnanswered(
      tx.db,
      `INSERT INTO text_authorship (document_id, action, client, clock, length, user_id, username, delegation, role, created_at)
       VALUES ${chunk.map(() => "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?)").join(", ")}`,
      ...chunk.flat(),
    );
  }
}

interface AuthorshipRow {
  action: "insert" | "delete";
  client: number;
  clock: number;
  length: number;
  user_id: string | null;
  username: string | null;
  delegation: string | null;
  role: string | null;
  created_at: string;
}

/**
 * Every recorded range of a document, searchable by Yjs id: `find(action, client, clock)`
 * answers the first range (in order of arrival) that covers the id.
 */
export class Authorship {
  private readonly byKey = new Map<string, AuthorshipRange[]>();

  constructor(ranges: readonly AuthorshipRange[]) {
    for (const r of ranges) {
      const key = `${r.action}:${r.client}`;
      let list = this.byKey.get(key);
      if (!list) this.byKey.set(key, (list = []));
      list.push(r);
    }
  }

  /** The first range recorded for `action` covering id (client, clock), or null when none was. */
  find(action: "insert" | "delete", client: number, clock: number): AuthorshipRange | null {
    for (const r of this.byKey.get(`${action}:${client}`) ?? []) if (r.clock <= clock && clock < r.clock + r.length) return r;
    return null;
  }

  /** How far from `clock` the answer of `find` stays the same (at least 1), so runs can be cut once per author. */
  sameUntil(action: "insert" | "delete", client: number, clock: number): number {
    let end = Number.POSITIVE_INFINITY;
    const first = this.find(action, client, clock);
    for (const r of this.byKey.get(`${action}:${client}`) ?? []) {
      if (r === first) end = Math.min(end, r.clock + r.length);
      // An earlier-recorded range starting later would take over there.
      else if (r.clock > clock) end = Math.min(end, r.clock);
    }
    return Number.isFinite(end) ? Math.max(1, end - clock) : Number.MAX_SAFE_INTEGER;
  }

  /** Reads every range recorded for a document, in order of arrival. */
  static load(ctx: Pick<AppContext, "db">, documentId: string): Authorship {
    const rows = statement(
      ctx.db,
      "SELECT action, client, clock, length, user_id, username, delegation, role, created_at FROM text_authorship WHERE document_id = ? ORDER BY seq",
    ).all(documentId) as AuthorshipRow[];
    return new Authorship(
      rows.map((r) => ({
        action: r.action,
        client: r.client,
        clock: r.clock,
        length: r.length,
        userId: r.user_id,
        username: r.username,
        delegation: r.delegation,
        role: r.role,
        at: r.created_at,
      })),
    );
  }
}
