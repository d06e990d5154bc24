import * as Y from "yjs";
import type { DecodedUpdate } from "./validate.js";

/**
 * Whether a Yjs update builds on content that is neither in the document nor in the update
 * itself, found without applying it: a client's own earlier updates that never arrived (a
 * client typing on after its server died, before it was greeted by the new one), or the
 * items it was typed next to. `state` gives the next clock the document expects of each
 * client. Applied, such an update would leave Yjs holding it pending, and undoing that
 * means reading the whole text from the store again: once per refusal, which a reconnect
 * of hundreds of typists turns into seconds of a stalled event loop. A case this misses
 * (a gap inside the update) is still caught after applying, as before.
 */
export function buildsOnMissing(decoded: DecodedUpdate, state: (client: number) => number): boolean {
  const ranges = new Map<number, { from: number; to: number }>();
  for (const s of decoded.structs) {
    if (s instanceof Y.Skip) continue;
    const r = ranges.get(s.id.client);
    if (!r) ranges.set(s.id.client, { from: s.id.clock, to: s.id.clock + s.length });
    else {
      r.from = Math.min(r.from, s.id.clock);
      r.to = Math.max(r.to, s.id.clock + s.length);
    }
  }
  for (const [client, r] of ranges) if (r.from > state(client)) return true;
  const known = (id: Y.ID | null): boolean => {
    if (id === null || id.clock < state(id.client)) return true;
    const r = ranges.get(id.client);
    return r !== undefined && id.clock >= r.from && id.clock < r.to;
  };
  for (const s of decoded.structs) {
    if (!(s instanceof Y.Item)) continue;
    if (!known(s.origin) || !known(s.rightOrigin)) return true;
    if (s.parent instanceof Y.ID && !known(s.parent)) return true;
  }
  return false;
}

/** The clocks `decoded` brings the document to, per client, for the updates after it in one batch. */
export function advance(decoded: DecodedUpdate, ahead: Map<number, number>): void {
  for (const s of decoded.structs) {
    if (s instanceof Y.Skip) continue;
    ahead.set(s.id.client, Math.max(ahead.get(s.id.client) ?? 0, s.id.clock + s.length));
  }
}
