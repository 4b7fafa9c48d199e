// Python values as EdgeLake writes and hashes them: JSON.parse cannot tell 100 from 100.0 (Python keeps 1e2 a
// float and writes `100.0`), so policy text is read by a parser that remembers which numbers were floats, and
// written back with Python's repr() (policy ids, peer replies of `blockchain get`).
import { JsonNumberError, readJson } from '../../core/json-reader.js';
import { pyFloat, pyFloatRepr } from './pyjson.js';

/** A number written with a fraction or an exponent: a Python float even when its value is whole. */
export class PyFloat {
  constructor(readonly value: number) {}
  toJSON(): number {
    return this.value;
  }
  /** The text Python's json.dumps writes (read by pyJsonDumps): repr(), but `Infinity`/`NaN`, never `inf`. */
  get pyJson(): string {
    return Number.isFinite(this.value) ? pyFloatRepr(this.value) : pyFloat(this.value);
  }
}

/** The value with PyFloats as plain numbers (for displays and the console). */
export function toPlain(v: PyValue): unknown {
  if (v instanceof PyFloat) return v.value;
  if (Array.isArray(v)) return v.map(toPlain);
  if (v !== null && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, toPlain(x)]));
  return v;
}

export type PyValue = null | boolean | number | string | PyFloat | PyValue[] | { [key: string]: PyValue };

/**
 * JSON text -> values, numbers with `.`/`e` as PyFloat. Throws SyntaxError naming the position, and JsonNumberError
 * for a number beyond the float range: Python reads `1e400` as inf and json.dumps writes it back as `Infinity`,
 * which is not JSON (EdgeLake's ledger then holds a line no JSON reader takes); a policy never holds one here.
 */
export function parsePyJson(text: string): PyValue {
  return readJson(text, (literal, path) => {
    const n = Number(literal);
    if (!Number.isFinite(n)) throw new JsonNumberError(literal, 'is beyond the range of a float (it would be written as Infinity, which is not JSON)', path);
    return /[.eE]/.test(literal) ? new PyFloat(n) : n;
  }) as PyValue;
}

/** Python's repr() of a str: single quotes, double quotes when the text holds ' and no ". */
export function pyReprString(s: string): string {
  const quote = s.includes("'") && !s.includes('"') ? '"' : "'";
  let out = quote;
  for (const ch of s) {
    const code = ch.codePointAt(0)!;
    if (ch === '\\') out += '\\\\';
    else if (ch === quote) out += `\\${quote}`;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (code < 0x20 || code === 0x7f) out += `\\x${code.toString(16).padStart(2, '0')}`;
    else if (code >= 0x80 && code < 0xa0) out += `\\x${code.toString(16)}`;
    else out += ch;
  }
  return out + quote;
}

/** Python's repr() of a parsed JSON value. */
export function pyRepr(v: PyValue): string {
  if (v === null) return 'None';
  if (v === true) return 'True';
  if (v === false) return 'False';
  if (v instanceof PyFloat) return pyFloatRepr(v.value);
  if (typeof v === 'number') return Number.isInteger(v) ? String(v) : pyFloat(v);
  if (typeof v === 'string') return pyReprString(v);
  if (Array.isArray(v)) return `[${v.map(pyRepr).join(', ')}]`;
  return `{${Object.entries(v)
    .map(([k, x]) => `${pyReprString(k)}: ${pyRepr(x)}`)
    .join(', ')}}`;
}

/** Python's str(): strings as they are, everything else as repr. */
export function pyStr(v: PyValue): string {
  return typeof v === 'string' ? v : pyRepr(v);
}
