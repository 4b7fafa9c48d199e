// JSON numbers read without silent changes (issue 10, defect 7). JSON.parse turns every number into a double:
// 9007199254740993 becomes ...992, 9223372036854775807 a float, 1e400 Infinity and 1e-400 0 — and the row is
// stored that way without a word. EdgeLake (Python) keeps integers exact (arbitrary precision) and reads 1e400 as
// inf, 1e-400 as 0.0. Here:
//   - an integer literal beyond Number.MAX_SAFE_INTEGER and within 64 bits becomes a BigInt (bound as an exact
//     INTEGER by better-sqlite3, as text by node-postgres);
//   - an integer beyond 64 bits, a float literal that overflows to ±Infinity, and a non-zero float literal that
//     underflows to 0 are refused: JsonNumberError names the value and where it is (element / attribute path).
// The reading itself is core/json-reader.ts (a JSON reader that hands over each number literal).
// JSON.parse stays the parser of the common case: a walk over its result (`hasUnsafeNumber`) and two substring
// searches (`mayUnderflow`) decide whether the text must be read again, exactly; ordinary files never are.
import { JsonNumberError, readJson, type JsonPath } from '../core/json-reader.js';

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

const ZEROS = '0'.repeat(200);

/**
 * Whether a text may hold a non-zero number JSON.parse reads as 0 (JSON.parse's result cannot tell): a value below
 * 2.5e-324 is written with an exponent of three digits (`1e-400`) or, with a shorter one or none, with 224 zeros
 * or more after the point. Plain substring searches first: ordinary files never reach the regular expression.
 */
export function mayUnderflow(text: string): boolean {
  return ((text.includes('e-') || text.includes('E-')) && /[eE]-\d{3}/.test(text)) || text.includes(ZEROS);
}

const MAX_SAFE = Number.MAX_SAFE_INTEGER;

function unsafe(v: unknown): boolean {
  if (typeof v === 'number') return !(v <= MAX_SAFE && v >= -MAX_SAFE); // true for ±Infinity too
  if (v === null || typeof v !== 'object') return false;
  for (const key in v) if (unsafe((v as Record<string, unknown>)[key])) return true;
  return false;
}

/**
 * Whether JSON.parse may have changed a number of these values: one beyond ±(2^53 - 1) (an integer literal there is
 * rounded) or infinite (an overflow). Such a text is read again with parseJsonExact. A walk over the parsed rows
 * costs a fraction of a text scan for 16-digit runs.
 */
export function hasUnsafeNumber(rows: readonly Record<string, unknown>[]): boolean {
  // The rows' own values inline (no call per value): this runs on every file.
  for (let r = 0; r < rows.length; r++) {
    const row = rows[r]!;
    for (const key in row) {
      const v = row[key];
      if (typeof v === 'number') {
        if (!(v <= MAX_SAFE && v >= -MAX_SAFE)) return true;
      } else if (typeof v === 'object' && v !== null && unsafe(v)) return true;
    }
  }
  return false;
}

/** The value of a number literal, exact; throws JsonNumberError for one that no JS number or int64 holds. */
function numberValue(literal: string, path: JsonPath): number | bigint {
  const n = Number(literal);
  if (/^-?\d+$/.test(literal)) {
    if (Number.isSafeInteger(n)) return n;
    const big = BigInt(literal);
    if (big < INT64_MIN || big > INT64_MAX) throw new JsonNumberError(literal, 'is an integer beyond 64 bits (-2^63 .. 2^63-1)', path);
    return big;
  }
  if (!Number.isFinite(n)) throw new JsonNumberError(literal, 'is beyond the range of a float (it would be stored as infinity)', path);
  if (n === 0 && /[1-9]/.test(literal.replace(/[eE].*$/, ''))) throw new JsonNumberError(literal, 'is too small for a float (it would be stored as 0)', path);
  return n;
}

/**
 * JSON.parse with exact integers (BigInt beyond 2^53) and refused out-of-range numbers. Throws SyntaxError for
 * text that is not JSON (as JSON.parse does) and JsonNumberError for a number that would change.
 */
export function parseJsonExact(text: string): unknown {
  return readJson(text, numberValue);
}

/** JSON text of a value that may hold BigInts (JSON.stringify throws on them), in JSON.stringify's compact form. */
export function jsonText(value: unknown): string {
  if (typeof value === 'bigint') return value.toString();
  if (Array.isArray(value)) return `[${value.map((v) => (v === undefined ? 'null' : jsonText(v))).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const parts = Object.entries(value).filter(([, v]) => v !== undefined);
    return `{${parts.map(([k, v]) => `${JSON.stringify(k)}:${jsonText(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}
