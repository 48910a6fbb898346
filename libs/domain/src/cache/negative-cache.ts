/**
 * Recent "not found" answers, remembered for a while so that a question repeated about something
 * that does not exist (an unknown event subject, a forged token naming a real router) is answered
 * from memory instead of by reloading everything. Bounded: when full, the oldest answer goes first,
 * so a flood of distinct keys costs memory up to `max` entries and no more.
 */
export class NegativeCache {
  /** key -> expiry (ms); a Map iterates in insertion order, so the first key is the oldest. */
  private readonly until = new Map<string, number>();

  constructor(
    private readonly ttlMs: number,
    private readonly max = 10_000,
    private readonly now: () => number = Date.now,
  ) {}

  has(key: string): boolean {
    const expiry = this.until.get(key);
    if (expiry === undefined) return false;
    if (expiry > this.now()) return true;
    this.until.delete(key);
    return false;
  }

  add(key: string): void {
    this.until.delete(key);
    if (this.until.size >= this.max) this.until.delete(this.until.keys().next().value as string);
    this.until.set(key, this.now() + this.ttlMs);
  }

  get size(): number {
    return this.until.size;
  }
}
