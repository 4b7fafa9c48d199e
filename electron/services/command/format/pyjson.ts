// Python's json.dumps with its defaults, which is what EdgeLake sends over REST and the wire (commands.md §8):
// separators ", " and ": ", no indentation, non-ASCII escaped as \uXXXX (surrogate pairs for astral characters),
// keys in insertion order. JS has one number type: integers print without a decimal point, other numbers as
// Python's repr prints floats (exponents with a sign and at least two digits: 1e-05, 1e+21).

const ESCAPES: Record<string, string> = { '"': '\\"', '\\': '\\\\', '\n': '\\n', '\r': '\\r', '\t': '\\t', '\b': '\\b', '\f': '\\f' };

export function pyString(text: string): string {
  let out = '"';
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    const code = text.charCodeAt(i);
    if (ESCAPES[ch]) out += ESCAPES[ch];
    else if (code < 0x20 || code > 0x7e) out += '\\u' + code.toString(16).padStart(4, '0');
    else out += ch;
  }
  return out + '"';
}

/** Python's repr() of a float: shortest round-trip digits, fixed for exponents -4..15, else d.ddde+XX. */
export function pyFloatRepr(n: number): string {
  if (Number.isNaN(n)) return 'nan';
  if (!Number.isFinite(n)) return n > 0 ? 'inf' : '-inf';
  if (n === 0) return Object.is(n, -0) ? '-0.0' : '0.0';
  const [mantissa, exp] = n.toExponential().split('e') as [string, string];
  const negative = mantissa.startsWith('-');
  const digits = mantissa.replace(/^-/, '').replace('.', '');
  const e = Number(exp);
  let text: string;
  if (e < -4 || e >= 16) {
    text = `${digits[0]}${digits.length > 1 ? `.${digits.slice(1)}` : ''}e${e < 0 ? '-' : '+'}${String(Math.abs(e)).padStart(2, '0')}`;
  } else if (e < 0) {
    text = `0.${'0'.repeat(-e - 1)}${digits}`;
  } else {
    const whole = digits.slice(0, e + 1).padEnd(e + 1, '0');
    const fraction = digits.slice(e + 1);
    text = `${whole}.${fraction || '0'}`;
  }
  return negative ? `-${text}` : text;
}

/** A number as Python's json.dumps writes it: integers plain (JS cannot tell 1 from 1.0), floats as repr(). */
export function pyFloat(n: number): string {
  if (Number.isNaN(n)) return 'NaN';
  if (!Number.isFinite(n)) return n > 0 ? 'Infinity' : '-Infinity';
  if (Number.isInteger(n) && !Object.is(n, -0)) return String(n);
  return pyFloatRepr(n);
}

export function pyJsonDumps(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  switch (typeof value) {
    case 'string':
      return pyString(value);
    case 'number':
      return pyFloat(value);
    case 'bigint':
      return value.toString();
    case 'boolean':
      return value ? 'true' : 'false';
    case 'object': {
      if (Array.isArray(value)) return '[' + value.map(pyJsonDumps).join(', ') + ']';
      // A value that knows its Python text (a float written 100.0 in a policy) prints that text.
      const py = (value as { pyJson?: unknown }).pyJson;
      if (typeof py === 'string') return py;
      const toJSON = (value as { toJSON?: () => unknown }).toJSON;
      if (typeof toJSON === 'function') return pyJsonDumps(toJSON.call(value));
      const parts = Object.entries(value as Record<string, unknown>)
        .filter(([, v]) => v !== undefined)
        .map(([k, v]) => `${pyString(k)}: ${pyJsonDumps(v)}`);
      return '{' + parts.join(', ') + '}';
    }
    default:
      return 'null';
  }
}
