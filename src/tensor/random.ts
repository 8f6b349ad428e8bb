import { ConfigError, describe } from '../errors.js';

/**
 * sinew's one pseudo-random number generator: xoshiro128** (Blackman and Vigna), 32-bit
 * integer arithmetic only, seeded through splitmix32. The same seed gives the same uint32
 * stream on every machine and engine. Floats are built from those integers; normal draws use
 * Box–Muller with Math.log/Math.cos/Math.sqrt, which V8 (Node, Chrome) computes with the same
 * fdlibm port on every platform.
 */
export class Random {
  #s = new Uint32Array(4);
  #spareNormal: number | undefined;

  constructor(seed: number) {
    const s = checkSeed(seed, 'Random');
    // Split the (up to 53-bit) seed into two 32-bit words and spread them with splitmix32.
    let x = (s >>> 0) ^ Math.imul(Math.floor(s / 2 ** 32) >>> 0, 0x9e3779b9);
    for (let i = 0; i < 4; i++) {
      x = (x + 0x9e3779b9) | 0;
      let z = x;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
      this.#s[i] = z ^ (z >>> 16);
    }
    if (this.#s.every((w) => w === 0)) this.#s[0] = 1;
  }

  /** The next uniformly distributed 32-bit unsigned integer. */
  nextUint32(): number {
    const s = this.#s;
    const result = Math.imul(rotl(Math.imul(s[1]!, 5), 7), 9) >>> 0;
    const t = s[1]! << 9;
    s[2]! ^= s[0]!;
    s[3]! ^= s[1]!;
    s[1]! ^= s[2]!;
    s[0]! ^= s[3]!;
    s[2]! ^= t;
    s[3] = rotl(s[3]!, 11);
    return result;
  }

  /** A double uniform in [0, 1) with 53 random bits. */
  nextFloat(): number {
    const hi = this.nextUint32() >>> 5; // 27 bits
    const lo = this.nextUint32() >>> 6; // 26 bits
    return (hi * 67108864 + lo) / 9007199254740992;
  }

  /** A standard normal draw (Box–Muller; the second value of each pair is kept for next time). */
  nextNormal(): number {
    if (this.#spareNormal !== undefined) {
      const v = this.#spareNormal;
      this.#spareNormal = undefined;
      return v;
    }
    let u = 0;
    while (u === 0) u = this.nextFloat();
    const v = this.nextFloat();
    const r = Math.sqrt(-2 * Math.log(u));
    this.#spareNormal = r * Math.sin(2 * Math.PI * v);
    return r * Math.cos(2 * Math.PI * v);
  }

  /** An integer uniform in [0, n), without modulo bias. */
  nextInt(n: number): number {
    return Math.floor(this.nextFloat() * n);
  }

  /** The generator's full state, for checkpoints. */
  getState(): number[] {
    return [...this.#s, this.#spareNormal ?? Number.NaN];
  }

  setState(state: readonly number[]): void {
    if (state.length !== 5 || !state.slice(0, 4).every((w) => Number.isInteger(w))) {
      throw new ConfigError(
        `Random.setState expects the 5 numbers getState() returned, received ${describe(state)}.`,
      );
    }
    for (let i = 0; i < 4; i++) this.#s[i] = state[i]!;
    const spare = state[4]!;
    this.#spareNormal = Number.isNaN(spare) ? undefined : spare;
  }
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

/** A seed is a safe integer (negative allowed). NaN, 1.5 or '7' throw a ConfigError. */
export function checkSeed(seed: unknown, where: string): number {
  if (typeof seed !== 'number' || !Number.isSafeInteger(seed)) {
    throw new ConfigError(
      `${where}: seed must be an integer (a safe integer such as 42), received ${describe(seed)}. ` +
        'Use Math.floor() on a computed seed, or leave the seed out for a random one.',
    );
  }
  return seed;
}

let globalRandom = new Random(Math.floor(Math.random() * 2 ** 32));

/** Seeds the generator that every random function without its own `seed` draws from. */
export function setSeed(seed: number): void {
  globalRandom = new Random(checkSeed(seed, 'setSeed'));
}

/**
 * Runs `fn` with `rng` as the global generator (the one random functions without a `seed`
 * draw from), then restores the previous one. A seeded fit installs its own generator this
 * way for the synchronous span of each step, so it draws the same numbers whatever other
 * fits run between its awaits, and leaves theirs alone.
 */
export function withGenerator<T>(rng: Random, fn: () => T): T {
  const previous = globalRandom;
  globalRandom = rng;
  try {
    return fn();
  } finally {
    globalRandom = previous;
  }
}

/** The generator for one call: a fresh one when `seed` is given, else the global one. */
export function randomFor(seed: number | undefined, where: string): Random {
  return seed === undefined ? globalRandom : new Random(checkSeed(seed, where));
}
