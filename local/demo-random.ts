// A small seeded PRNG and the draws the demo generator needs. Math.random cannot be seeded, and the
// demo must write the same files for the same seed, so every random choice goes through here.

/** The largest seed the generator tells apart: its state is 32 bits, so a larger seed repeats a smaller one. */
export const MAX_SEED = 0xffff_ffff;

export class Random {
  private state: number;

  constructor(seed: number) {
    // Spread small seeds (1, 2, 3 …) over the whole state space so neighbouring seeds differ at once.
    this.state = (Math.imul(seed ^ 0x9e3779b9, 0x85ebca6b) ^ 0xc2b2ae35) >>> 0;
  }

  /** mulberry32: fast, 32-bit state, good enough for synthetic data. Returns [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** An integer in [min, max] inclusive. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)] as T;
  }

  /** Exponentially distributed with the given mean. */
  exponential(mean: number): number {
    return -Math.log(1 - this.next()) * mean;
  }

  /** Log-normal around a median, with a spread factor (≈ one standard deviation in log space). */
  logNormal(median: number, spread: number): number {
    // Box–Muller; one of the pair is enough here.
    const u = 1 - this.next();
    const v = this.next();
    const z = Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    return median * Math.exp(z * Math.log(spread));
  }

  /**
   * A version 7 UUID made at `ms`, as the tracker makes them: 48 bits of Unix milliseconds, then
   * random bits drawn from this generator.
   */
  uuid(ms: number): string {
    const time = Math.floor(ms).toString(16).padStart(12, "0");
    const b = this.word();
    const c = this.word();
    const d = this.word();
    // Joined, not concatenated: V8 keeps a concatenation as a tree of its parts, several times the
    // size of the 36 characters, and a demo of a million visitors holds a million of these.
    return [
      time.slice(0, 8),
      time.slice(8, 12),
      `7${hex8(b).slice(5, 8)}`,
      `${(((c >>> 28) & 0x3) | 0x8).toString(16)}${hex8(c).slice(1, 4)}`,
      `${hex8(c).slice(4)}${hex8(d)}`,
    ].join("-");
  }

  /** An identifier of the tracker's format: `[A-Za-z0-9]` of the given length. */
  id(length: number): string {
    let out = "";
    for (let i = 0; i < length; i++) out += alphabet[Math.floor(this.next() * alphabet.length)];
    return out;
  }

  private word(): number {
    return Math.floor(this.next() * 4294967296) >>> 0;
  }
}

const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

function hex8(n: number): string {
  return n.toString(16).padStart(8, "0");
}

/** Draws from a fixed list of weighted options, by a precomputed cumulative table. */
export class Weighted<T> {
  private readonly cumulative: number[] = [];
  private readonly total: number;

  constructor(private readonly options: readonly (readonly [T, number])[]) {
    let sum = 0;
    for (const [, weight] of options) {
      sum += weight;
      this.cumulative.push(sum);
    }
    this.total = sum;
  }

  draw(random: Random): T {
    const target = random.next() * this.total;
    let i = 0;
    while (i < this.cumulative.length - 1 && (this.cumulative[i] as number) <= target) i++;
    return (this.options[i] as readonly [T, number])[0];
  }

  /** Every option, in the order given. */
  get values(): T[] {
    return this.options.map(([value]) => value);
  }
}
