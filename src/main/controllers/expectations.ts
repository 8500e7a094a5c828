// Expectations: what a controller has asked the API server to create or delete and
// not yet seen come back through its informer. Until they are met, the cache is known
// to be behind, so the controller does not count pods again and create twins; they
// expire after a while so a lost event cannot stall a controller for ever.

interface Expected {
  adds: number;
  /** Keys of pods whose deletion has been asked for but not yet observed. */
  deletes: Set<string>;
  since: number;
}

/** Expectations tracks outstanding creations and deletions per controller key. */
export class Expectations {
  private readonly byKey = new Map<string, Expected>();

  constructor(
    private readonly ttlMs = 5 * 60_000,
    private readonly now: () => number = Date.now,
  ) {}

  /** expect records that count creations and the deletion of these keys are on their way for controller key. */
  expect(key: string, creations: number, deletions: string[] = []): void {
    this.byKey.set(key, { adds: creations, deletes: new Set(deletions), since: this.now() });
  }

  /** creationObserved counts one expected creation as seen. */
  creationObserved(key: string): void {
    const e = this.byKey.get(key);
    if (e && e.adds > 0) e.adds--;
  }

  /** creationsFailed lowers the expected creations by count that were never made. */
  creationsFailed(key: string, count: number): void {
    const e = this.byKey.get(key);
    if (e) e.adds = Math.max(0, e.adds - count);
  }

  /** deletionObserved counts the deletion of objectKey as seen (or as no longer coming). */
  deletionObserved(key: string, objectKey: string): void {
    this.byKey.get(key)?.deletes.delete(objectKey);
  }

  /** satisfied tells whether the cache can be trusted for key: nothing outstanding, or the wait expired. */
  satisfied(key: string): boolean {
    const e = this.byKey.get(key);
    if (!e) return true;
    if (e.adds <= 0 && e.deletes.size === 0) return true;
    return this.now() - e.since > this.ttlMs;
  }

  /** forget drops what is expected for key (its controller object is gone). */
  forget(key: string): void {
    this.byKey.delete(key);
  }
}
