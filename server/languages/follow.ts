import * as Y from "yjs";
import { blockOfYElement, insertBlocks, attributesOf, isBlockType, yFormatOf, type Block, type Run } from "../../schema/index.js";
import { FROZEN_STATES } from "../../schema/roles.js";
import type { AcceptedTextChange } from "../commands/hooks.js";
import type { CommandTx } from "../commands/command.js";
import type { AppContext } from "../context.js";
import type { Room } from "../collab/room.js";
import type { RemovedParagraph } from "../deletions/removed.js";
import { HttpError } from "../http/errors.js";
import { statement } from "../store/statements.js";
import { documentStructure, structureOf, versionsOf, versionsOfEach, type StructureBlock, type VersionRef } from "./versions.js";

/** How long following a structural change took, for the bench and the log. */
export interface FollowTiming {
  /** Milliseconds of server time to apply the original's structure to every language version (its commit aside). */
  ms: number;
  /** Of which this process was on a CPU (user and system): on a shared machine, the work itself. */
  cpuMs: number;
  versions: number;
  /** How many of the original's changes this one follow carried (several in quick succession make one). */
  changes: number;
}

/** The last few structural follows, newest last (read by bench/languages.ts and the tests). */
export const followTimings: FollowTiming[] = [];
const KEPT_TIMINGS = 1000;

/** A follow owed to an original's versions: the blocks its changes touched since they last followed (null: every block). */
interface Owed {
  touched: Set<string> | null;
  changes: number;
}

/** The follows of one database's originals not yet made, and whether a turn is set to make them. */
interface Follows {
  owed: Map<string, Owed>;
  /** Originals whose follow runs now (a room it opens must not owe it again). */
  running: Set<string>;
  scheduled: boolean;
}

const followsByDb = new WeakMap<AppContext["db"], Follows>();

function followsOf(ctx: Pick<AppContext, "db">): Follows {
  let follows = followsByDb.get(ctx.db);
  if (!follows) followsByDb.set(ctx.db, (follows = { owed: new Map(), running: new Set(), scheduled: false }));
  return follows;
}

/** Adds `more` to what an original is owed (a null touched set reconciles every block). */
function addOwed(follows: Follows, originalId: string, touched: ReadonlySet<string> | null, changes: number): void {
  const owed = follows.owed.get(originalId);
  if (!owed) follows.owed.set(originalId, { touched: touched === null ? null : new Set(touched), changes });
  else {
    if (owed.touched !== null) {
      if (touched === null) owed.touched = null;
      else for (const id of touched) owed.touched.add(id);
    }
    owed.changes += changes;
  }
}

// The original rooms whose versions are loaded, or being loaded, ahead of a follow.
const loadedAhead = new WeakSet<Room>();

/**
 * Once someone writes in an original, its closed language versions are loaded and kept
 * with it, one an event-loop turn after the change is stored: the first structural change
 * then costs only the follow itself, not three documents read from the store.
 */
function loadAhead(ctx: AppContext, original: Room, versionIds: readonly string[]): void {
  if (loadedAhead.has(original)) return;
  loadedAhead.add(original);
  const next = (i: number) => {
    if (i >= versionIds.length || ctx.rooms.get(original.id) !== original) return;
    try {
      const version = ctx.rooms.open(versionIds[i]!);
      ctx.rooms.keepWith(version, original);
      version.loadSoon();
    } catch (error) {
      // A quarantined version is skipped here as by the follow; anything else waits for the follow to meet it.
      if (!(error instanceof HttpError)) console.error("loading a language version ahead of its original's changes", error);
    }
    setImmediate(() => next(i + 1));
  };
  setImmediate(() => next(0));
}

/** What an original without language versions has. */
const NO_VERSIONS: readonly VersionRef[] = [];

/**
 * The text hook that keeps every language version's structure that of its original. A
 * change of the original's blocks (added, deleted, moved, split, merged, re-kinded) does
 * not wait for the versions: it is recorded as a follow owed (`structure_follows`, in the
 * change's own transaction, so that a crash before the follow leaves the debt on disk) and
 * the follow runs after the change is stored and sent, in a commit of its own
 * (`runFollows`). Changes in quick succession are followed once, against the original as
 * it is then. Typing, which changes no block's kind or level, owes nothing.
 */
export function followStructure(tx: CommandTx, accepted: AcceptedTextChange): void {
  const originalId = accepted.room.id;
  // A document's language versions do not change within a batch of reactions (no command runs in a flush).
  const versions = accepted.batch.rememberOfDocument("language versions", originalId, (ids) => versionsOfEach(tx.ctx, ids), NO_VERSIONS);
  if (versions.length === 0) return;
  const { change } = accepted;
  if (!change.structural && change.reattributed.size === 0) {
    loadAhead(tx.ctx, accepted.room, versions.map((v) => v.id));
    return;
  }
  const follows = followsOf(tx.ctx);
  addOwed(follows, originalId, change.touched, 1);
  if (!accepted.batch.first(`structure follow owed\n${originalId}`)) return;
  // One row a batch, with what every change of it touched.
  accepted.batch.atEnd(() => {
    const touched = follows.owed.get(originalId)?.touched;
    statement(
      tx.db,
      `INSERT INTO structure_follows (original_id, touched, owed_since) VALUES (?, ?, ?)
       ON CONFLICT (original_id) DO UPDATE SET touched = excluded.touched`,
    ).run(originalId, touched ? JSON.stringify([...touched]) : null, new Date().toISOString());
  });
  tx.afterCommit(() => scheduleFollows(tx.ctx));
}

/**
 * When a room opens (after a restart, or once its last client had left), a follow its
 * original still owes (the process stopped between the original's change and the
 * versions' follow) is made, in the turns after: opening an original or any of its
 * versions finds it. A primary-key read; nothing else is read at open.
 */
export function followOwedOnOpen(ctx: AppContext, room: Room): void {
  const originalId = room.facts.originalId ?? room.id;
  const follows = followsOf(ctx);
  if (follows.running.has(originalId) || follows.owed.has(originalId)) return;
  const row = statement(ctx.db, "SELECT touched FROM structure_follows WHERE original_id = ?").get(originalId) as { touched: string | null } | undefined;
  if (!row) return;
  addOwed(follows, originalId, row.touched === null ? null : new Set(JSON.parse(row.touched) as string[]), 1);
  scheduleFollows(ctx);
}

/** Makes the follows owed in the next event-loop turn, once however many changes owe them. */
function scheduleFollows(ctx: AppContext): void {
  const follows = followsOf(ctx);
  if (follows.scheduled) return;
  follows.scheduled = true;
  setImmediate(() => {
    follows.scheduled = false;
    runFollows(ctx);
  });
}

/**
 * Makes every follow owed now, each original's in one commit of its own. One that fails
 * (a storage fault) stays owed, on disk and here, and is made again after the next change
 * or open of the original or a version.
 */
export function runFollows(ctx: AppContext): void {
  const follows = followsOf(ctx);
  for (const [originalId, owed] of [...follows.owed]) {
    follows.owed.delete(originalId);
    follows.running.add(originalId);
    let done = false;
    try {
      done = followNow(ctx, originalId, owed);
    } catch (error) {
      console.error(`following the structure of document ${originalId} in its language versions`, error);
    } finally {
      follows.running.delete(originalId);
    }
    if (!done) addOwed(follows, originalId, owed.touched, 0);
  }
}

/**
 * Writes the original's structure as it is now into every language version, in one commit
 * with the end of the debt (see `RoomManager.commitServerChange`): the versions' changes
 * are durable before anyone is sent them, and after the original's that they follow. New
 * paragraphs arrive empty (missing); a paragraph merged into the one before it in the
 * original brings its translation along; a deleted one is kept by the deletions record.
 */
function followNow(ctx: AppContext, originalId: string, owed: Owed): boolean {
  const versions = versionsOf(ctx, originalId);
  const original = ctx.rooms.get(originalId);
  const touched = owed.touched ?? undefined;
  return ctx.rooms.commitServerChange((tx) => {
    const started = performance.now();
    const cpu = process.cpuUsage();
    const structure = original ? structureOf(original.fragment) : documentStructure(ctx, originalId);
    for (const version of versions) {
      let room: Room;
      try {
        room = ctx.rooms.open(version.id);
      } catch (error) {
        // A quarantined version cannot follow; the others are not held back for it.
        if (error instanceof HttpError && error.status === 503) continue;
        throw error;
      }
      // Loaded once while the original is open, not reloaded and compacted on every follow.
      if (original && ctx.rooms.get(originalId) === original) ctx.rooms.keepWith(room, original);
      // A version adopted (or withdrawn) with its original no longer changes.
      if (FROZEN_STATES.has(room.facts.state)) continue;
      tx.changeText(version.id, null, (fragment) => followInto(fragment, structure, touched), leaving(room.fragment, structure));
    }
    statement(tx.db, "DELETE FROM structure_follows WHERE original_id = ?").run(originalId);
    const used = process.cpuUsage(cpu);
    followTimings.push({ ms: performance.now() - started, cpuMs: (used.user + used.system) / 1000, versions: versions.length, changes: owed.changes });
    if (followTimings.length > KEPT_TIMINGS) followTimings.splice(0, followTimings.length - KEPT_TIMINGS);
  });
}

/** The blocks of a version that `target` has not, as they stand (for the deletions record). */
function leaving(fragment: Y.XmlFragment, target: readonly StructureBlock[]): RemovedParagraph[] {
  const wanted = new Set(target.map((b) => b.id));
  const elements = fragment.toArray().filter((c): c is Y.XmlElement => c instanceof Y.XmlElement && isBlockType(c.nodeName));
  const ids = elements.map((e) => String(e.getAttribute("id")));
  const out: RemovedParagraph[] = [];
  ids.forEach((id, position) => {
    if (wanted.has(id)) return;
    const block = blockOfYElement(elements[position]!);
    if (block) out.push({ block, position, previousId: ids[position - 1] ?? null, nextId: ids[position + 1] ?? null });
  });
  return out;
}

/**
 * Positions (into `seq`) of a longest strictly increasing subsequence of the non-negative
 * values of `seq`: the blocks that keep their place, so that as few as possible move.
 */
function longestIncreasing(seq: readonly number[]): Set<number> {
  const tails: number[] = [];
  const previous = new Array<number>(seq.length).fill(-1);
  for (let i = 0; i < seq.length; i++) {
    const v = seq[i]!;
    if (v < 0) continue;
    let lo = 0;
    let hi = tails.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (seq[tails[mid]!]! < v) lo = mid + 1;
      else hi = mid;
    }
    if (lo > 0) previous[i] = tails[lo - 1]!;
    tails[lo] = i;
  }
  const keep = new Set<number>();
  for (let i = tails.length > 0 ? tails[tails.length - 1]! : -1; i >= 0; i = previous[i]!) keep.add(i);
  return keep;
}

/**
 * Rewrites a language version's blocks into `target`'s order, types, kinds and levels,
 * keeping each kept block's element (and so its text and whatever is typed in it now):
 * blocks not in the original are deleted (their translation appended to the block before
 * them when that block was touched in the original, i.e. merged), blocks out of place are
 * moved with their text, blocks new in the original are inserted empty. `touched`: the
 * blocks the original's changes touched since the version last followed it; only those
 * can have another kind or level now, so only their attributes are compared (without
 * it, every block's are, and no merge is recognised).
 */
export function followInto(fragment: Y.XmlFragment, target: readonly StructureBlock[], touched?: ReadonlySet<string>): void {
  const touchedInOriginal = touched ?? new Set<string>();
  const position = new Map(target.map((b, i) => [b.id, i]));
  const children = fragment.toArray();
  const ids = children.map((c) => (c instanceof Y.XmlElement ? String(c.getAttribute("id")) : ""));
  const keep = longestIncreasing(ids.map((id) => position.get(id) ?? -1));
  const moved = new Map<string, Run[]>();
  const merged = new Map<string, Run[]>();
  let lastKept: string | null = null;
  for (let i = 0; i < children.length; i++) {
    const child = children[i]!;
    const id = ids[i]!;
    if (keep.has(i)) {
      lastKept = id;
      continue;
    }
    const block = child instanceof Y.XmlElement ? blockOfYElement(child) : null;
    if (!block) continue;
    if (position.has(id)) moved.set(id, block.runs);
    else if (lastKept !== null && touchedInOriginal.has(lastKept) && block.runs.some((r) => r.text.trim().length > 0))
      merged.set(lastKept, [...(merged.get(lastKept) ?? []), { text: " " }, ...block.runs]);
  }
  // Deleted from the end in runs, so that each run is one deletion.
  for (let i = children.length - 1; i >= 0; ) {
    if (keep.has(i)) {
      i -= 1;
      continue;
    }
    let start = i;
    while (start > 0 && !keep.has(start - 1)) start -= 1;
    fragment.delete(start, i - start + 1);
    i = start - 1;
  }
  // The kept elements in order: walked with a cursor, since reading the fragment by index
  // walks its list from the start each time (300 paragraphs: 45,000 steps a version).
  const kept = children.filter((_, i) => keep.has(i));
  const keptIds = ids.filter((_, i) => keep.has(i));
  let next = 0;
  let at = 0;
  for (const b of target) {
    const block: Block = { id: b.id, type: b.type, kind: b.kind, level: b.level, ...(b.numbering ? { numbering: b.numbering } : {}), runs: moved.get(b.id) ?? [] };
    const here = kept[next];
    let element: Y.XmlElement;
    if (here instanceof Y.XmlElement && keptIds[next] === b.id) {
      next += 1;
      if (here.nodeName === b.type) {
        if (!touched || touched.has(b.id)) syncAttributes(here, block);
        element = here;
      } else {
        // Another node type (a heading made a paragraph) is another element, with the same text.
        const runs = blockOfYElement(here)?.runs ?? [];
        fragment.delete(at, 1);
        element = insertBlocks(fragment, at, [{ ...block, runs }])[0]!;
      }
    } else element = insertBlocks(fragment, at, [block])[0]!;
    const extra = merged.get(b.id);
    if (extra) appendRuns(element, extra);
    at += 1;
  }
}

/** Sets the attributes of `element` that differ from `block`'s (its id stays). */
function syncAttributes(element: Y.XmlElement, block: Block): void {
  for (const [key, value] of Object.entries(attributesOf(block))) if (key !== "id" && element.getAttribute(key) !== value) element.setAttribute(key, value as string);
}

/** Appends runs at the end of a block's text. */
function appendRuns(element: Y.XmlElement, runs: readonly Run[]): void {
  let text = element.toArray().find((c): c is Y.XmlText => c instanceof Y.XmlText);
  if (!text) {
    text = new Y.XmlText();
    element.insert(element.length, [text]);
  }
  let at = text.length;
  for (const run of runs) {
    if (run.text.length === 0) continue;
    text.insert(at, run.text, yFormatOf({ ...run, brackets: [] }));
    at += run.text.length;
  }
}
