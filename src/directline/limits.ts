/** A token bucket: `capacity` actions, refilled evenly over `perMs`. */
export class Bucket {
  private tokens: number;
  private last: number;

  constructor(
    private readonly capacity: number,
    private readonly perMs: number,
    now: number,
  ) {
    this.tokens = capacity;
    this.last = now;
  }

  /** Takes one token; returns 0 when allowed, otherwise the milliseconds until one is available. */
  take(now: number): number {
    this.refill(now);
    if (this.tokens >= 1) {
      this.tokens -= 1;
      return 0;
    }
    return Math.ceil((1 - this.tokens) * (this.perMs / this.capacity));
  }

  /** true when the bucket is full again (it can be forgotten) */
  full(now: number): boolean {
    this.refill(now);
    return this.tokens >= this.capacity;
  }

  private refill(now: number): void {
    const elapsed = Math.max(0, now - this.last);
    this.last = now;
    this.tokens = Math.min(this.capacity, this.tokens + (elapsed * this.capacity) / this.perMs);
  }
}

/** Buckets per key (e.g. client address), forgotten once full again. */
export class KeyedBuckets {
  private readonly buckets = new Map<string, Bucket>();

  constructor(
    private readonly capacity: number,
    private readonly perMs: number,
  ) {}

  take(key: string, now: number): number {
    let b = this.buckets.get(key);
    if (!b) {
      b = new Bucket(this.capacity, this.perMs, now);
      this.buckets.set(key, b);
    }
    return b.take(now);
  }

  sweep(now: number): void {
    for (const [key, b] of this.buckets) if (b.full(now)) this.buckets.delete(key);
  }

  get size(): number {
    return this.buckets.size;
  }
}
