import * as Y from "yjs";
import { blockOfYElement, insertBlocks, attributesOf, yFormatOf, type Block, type Run } from "../../schema/index.js";
import type { AcceptedTextChange } from "../commands/hooks.js";
import type { CommandTx } from "../commands/command.js";
import type { AppContext } from "../context.js";
import type { Room } from "../collab/room.js";
import { liveBlockReading } from "../documents/paragraphs.js";
import { HttpError } from "../http/errors.js";
import { structureOf, versionsOf, type StructureBlock } from "./versions.js";

/** How long following a structural change took, for the bench and the log. */
export interface FollowTiming {
  /** Milliseconds of server time to apply the change to every language version. */
  ms: number;
  /** Of which this process was on a CPU (user and system): on a shared machine, the work itself. */
  cpuMs: number;
  versions: number;
}

/** The last few structural follows, newest last (read by bench/languages.ts). */
export const followTimings: FollowTiming[] = [];
const KEPT_TIMINGS = 1000;

// The structure (type, kind, level per id) each original had when its versions last
// followed it: typing that changes no block's kind or level needs no follow at all.
const lastStructure = new WeakMap<AppContext["db"], Map<string, Map<string, string>>>();

function signature(b: Pick<StructureBlock, "type" | "kind" | "level" | "numbering">): string {
  return `${b.type}|${b.kind}|${b.level}|${b.numbering ?? ""}`;
}

/** Whether a non-structural change of the original changed a touched block's type, kind or level since the last follow. */
function attributesChanged(accepted: AcceptedTextChange, known: Map<string, string> | undefined): boolean {
  if (!known) return true;
  for (const id of accepted.change.touched) {
    const reading = liveBlockReading(accepted.room, id);
    if (reading && known.get(id) !== signature(reading.block)) return true;
  }
  return false;
}

// The original rooms whose versions are loaded, or being loaded, ahead of a follow.
const loadedAhead = new WeakSet<Room>();

/**
 * Once someone writes in an original, its closed language versions are loaded and kept
 * with it, one an event-loop turn after the change is stored: the first structural change
 * then costs only the follow itself, not three documents read from the store on the path
 * of an editor's update.
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

/**
 * The text hook that keeps every language version's structure that of its original: after
 * a change of the original's blocks (added, deleted, moved, split, merged, re-kinded) is
 * accepted, the same structure is written into each version as a server change in the
 * same transaction, so it is durable with the original's change and sent after it. New
 * paragraphs arrive empty (missing); a paragraph merged into the one before it in the
 * original brings its translation along; a deleted one is kept by the deletions record.
 */
export function followStructure(tx: CommandTx, accepted: AcceptedTextChange): void {
  const originalId = accepted.room.id;
  // A document's language versions do not change within a batch of reactions (no command runs in a flush).
  const versions = accepted.batch.remember(`language versions\n${originalId}`, () => versionsOf(tx.ctx, originalId));
  if (versions.length === 0) return;
  let perDb = lastStructure.get(tx.ctx.db);
  if (!perDb) lastStructure.set(tx.ctx.db, (perDb = new Map()));
  const known = perDb.get(originalId);
  if (!accepted.change.structural && !attributesChanged(accepted, known)) {
    loadAhead(tx.ctx, accepted.room, versions.map((v) => v.id));
    return;
  }
  const started = performance.now();
  const cpu = process.cpuUsage();
  const structure = structureOf(accepted.room.fragment);
  for (const version of versions) {
    try {
      // Loaded once while the original is open, not reloaded and compacted on every follow.
      tx.ctx.rooms.keepWith(tx.ctx.rooms.open(version.id), accepted.room);
    } catch (error) {
      // A quarantined version cannot follow; the original is not held back for it.
      if (error instanceof HttpError && error.status === 503) continue;
      throw error;
    }
    tx.changeText(version.id, null, (fragment) => followInto(fragment, structure, accepted.change.touched));
  }
  perDb.set(originalId, new Map(structure.map((b) => [b.id, signature(b)])));
  const used = process.cpuUsage(cpu);
  followTimings.push({ ms: performance.now() - started, cpuMs: (used.user + used.system) / 1000, versions: versions.length });
  if (followTimings.length > KEPT_TIMINGS) followTimings.splice(0, followTimings.length - KEPT_TIMINGS);
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
 * moved with their text, blocks new in the original are inserted empty.
 */
export function followInto(fragment: Y.XmlFragment, target: readonly StructureBlock[], touchedInOriginal: ReadonlySet<string> = new Set()): void {
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
        syncAttributes(here, block);
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
