// Python's json.dumps with its defaults, which is what EdgeLake sends over REST and the wire (commands.md §8):
// separators ", " and ": ", no indentation, non-ASCII escaped as \uXXXX (surrogate pairs for astral characters),
// keys in insertion order. JS has one number type: integers print without a decimal point, other numbers as
// Python's repr prints floats (exponents with a sign and at least two digits: 1e-05, 1e+21).
import { pyNumber } from './table.js';

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

export function pyFloat(n: number): string {
  const text = pyNumber(n);
  if (text === 'nan') return 'NaN';
  if (text === 'inf') return 'Infinity';
  if (text === '-inf') return '-Infinity';
  // JS writes 1e-7 and 1e+21; Python writes 1e-07 and 1e+21.
  return text.replace(/e([+-])(\d)$/, 'e$10$2');
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
