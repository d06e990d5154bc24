/**
 * A map that holds at most `capacity` entries and forgets the least recently used one to
 * make room. Used for per-key limits whose keys an attacker chooses (usernames, addresses):
 * memory stays bounded however many keys are sprayed at it.
 */
export class LruMap<K, V> {
  private readonly map = new Map<K, V>();

  constructor(readonly capacity: number) {}

  /** The value for `key`, which becomes the most recently used. */
  get(key: K): V | undefined {
    const value = this.map.get(key);
    if (value === undefined) return undefined;
    // A Map iterates in insertion order: re-inserting moves the key to the young end.
    this.map.delete(key);
    this.map.set(key, value);
    return value;
  }

  /** Sets `key` as the most recently used, forgetting the least recently used key when full. */
  set(key: K, value: V): void {
    this.map.delete(key);
    this.map.set(key, value);
    if (this.map.size > this.capacity) this.map.delete(this.map.keys().next().value as K);
  }

  /** Forgets `key`. */
  delete(key: K): void {
    this.map.delete(key);
  }

  /** Number of entries held. */
  get size(): number {
    return this.map.size;
  }
}
