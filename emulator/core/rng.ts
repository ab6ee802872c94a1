/**
 * Deterministic pseudo-random numbers (mulberry32). The emulator never uses Math.random: every id
 * it mints comes from a stream seeded by EmulatorOptions.seed, so the same seed and the same
 * sequence of requests give the same ids.
 */
export class Rng {
  private state: number;

  constructor(seedOrState: number) {
    this.state = seedOrState >>> 0;
  }

  /** The internal state, so a stream can be persisted and resumed (see tenant/store.ts). */
  get currentState(): number {
    return this.state;
  }

  /** Uniform float in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** Uniform integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)];
  }

  /** n lowercase hex digits. */
  hex(n: number): string {
    let out = "";
    for (let i = 0; i < n; i++) out += this.int(16).toString(16);
    return out;
  }

  /** An RFC 4122 version-4-shaped GUID, as Entra object ids look. */
  guid(): string {
    const h = this.hex(32).split("");
    h[12] = "4";
    h[16] = "89ab"[this.int(4)];
    const s = h.join("");
    return `${s.slice(0, 8)}-${s.slice(8, 12)}-${s.slice(12, 16)}-${s.slice(16, 20)}-${s.slice(20)}`;
  }

  /** A string from the given alphabet. */
  chars(n: number, alphabet: string): string {
    let out = "";
    for (let i = 0; i < n; i++) out += alphabet[this.int(alphabet.length)];
    return out;
  }
}

/**
 * Derive an independent seed for a named sub-stream, so that e.g. request ids (which depend on
 * how many requests a client happens to make) never shift the ids of resources.
 */
export function deriveSeed(seed: number, stream: string): number {
  let h = (seed ^ 0x9e3779b9) >>> 0;
  for (let i = 0; i < stream.length; i++) {
    h = Math.imul(h ^ stream.charCodeAt(i), 0x01000193) >>> 0;
  }
  return h;
}
