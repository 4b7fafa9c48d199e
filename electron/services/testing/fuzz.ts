// Seeded randomness and fuzzed peer-protocol blocks, shared by the peer listener's int test and the reliability
// runs: the same bytes on every run, so a failure can be replayed.
import { BLOCK_SIZE } from '../peer/codec.js';

/** A seeded generator of numbers in [0, 1) (a linear congruential one: enough to vary inputs, not for secrets). */
export function seeded(seed: number): () => number {
  let state = seed;
  return () => (state = (state * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
}

/**
 * The n-th fuzzed block, built from a valid one (`good`): in turn random bytes, the block cut short, a header
 * whose lengths point past the block, and a wrong block counter (peer-protocol.md §3.3 offsets).
 */
export function fuzzedBlock(n: number, random: () => number, good: Buffer): Buffer {
  switch (n % 4) {
    case 0:
      return Buffer.from(Array.from({ length: BLOCK_SIZE }, () => Math.floor(random() * 256)));
    case 1:
      return good.subarray(0, Math.floor(random() * BLOCK_SIZE));
    case 2: {
      const bytes = Buffer.from(good);
      bytes.writeUInt32BE(2000 + Math.floor(random() * 100_000), 43);
      return bytes;
    }
    default: {
      const bytes = Buffer.from(good);
      bytes.writeUInt32BE(2 + Math.floor(random() * 1000), 30);
      return bytes;
    }
  }
}
