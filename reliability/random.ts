// A seeded random generator for the runs (mulberry32): a run prints its seed, and RELIABILITY_SEED repeats it.
export function seededRandom(seed: number): () => number {
  let s = seed;
  return () => {
    s = (s + 0x6d2b79f5) | 0;
    let t = Math.imul(s ^ (s >>> 15), 1 | s);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** RELIABILITY_SEED, or one from the clock. */
export const SEED = Number(process.env.RELIABILITY_SEED ?? Date.now() % 1_000_000);
