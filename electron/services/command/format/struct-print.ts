// The CLI's display of a JSON structure (EdgeLake generic/utils_print.py struct_print; observed for
// `get status where format = json`, `get processes where format = json`, `get dictionary where format = json`):
//   {"key" : value,
//    "key2" : {"nested" : 1}}
// One attribute per line aligned one column right of the opening brace; nested objects and lists continue on the
// key's line, aligned after `"key" : `; strings print in double quotes, cut into pieces of 64 characters on
// continuation lines; strings that hold JSON objects or lists are shown as structures; other values as Python
// prints them (True, False, None). It is a display, not JSON. Lines end with \r\n.
import { pyNumber } from './table.js';

function pyScalar(value: unknown): string {
  if (value === null || value === undefined) return 'None';
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  if (typeof value === 'number') return pyNumber(value);
  return String(value);
}

function parseStructure(text: string): unknown {
  if (text.length <= 2) return undefined;
  const first = text[0];
  const last = text[text.length - 1];
  if (!((first === '{' && last === '}') || (first === '[' && last === ']'))) return undefined;
  try {
    const parsed: unknown = JSON.parse(text);
    return (Array.isArray(parsed) ? parsed.length : parsed && Object.keys(parsed).length) ? parsed : undefined;
  } catch {
    return undefined;
  }
}

/** A string value: quoted pieces of 64 characters, continuation lines indented to `indent`. */
function breakString(text: string, indent: number): string {
  const lines = text.replace(/\r/g, '').split('\n');
  if (lines.length === 1) {
    const pieces: string[] = [];
    for (let i = 0; i < text.length || i === 0; i += 64) pieces.push(`"${text.slice(i, i + 64)}"`);
    return pieces.join('\r\n' + ' '.repeat(indent));
  }
  return lines
    .filter((l) => l.length > 0)
    .map((l) => `"${l}"`)
    .join('\r\n' + ' '.repeat(indent));
}

function render(value: unknown, offset: number): string {
  if (typeof value === 'string') {
    const structure = parseStructure(value);
    if (structure !== undefined) return render(structure, offset);
    return value.includes('\n') ? value.replace(/\r?\n/g, '\r\n') : breakString(value, offset);
  }
  if (Array.isArray(value)) {
    return '[' + value.map((entry) => render(entry, offset + 1)).join(',\r\n' + ' '.repeat(offset + 1)) + ']';
  }
  if (value !== null && typeof value === 'object') {
    const inner = offset + 1;
    const parts = Object.entries(value as Record<string, unknown>).map(([key, raw]) => {
      const structure = typeof raw === 'string' ? parseStructure(raw) : undefined;
      const v = structure ?? raw;
      const head = `"${key}" : `;
      if (typeof v === 'string') return head + breakString(v, inner + key.length + 5);
      if (v !== null && typeof v === 'object') return head + render(v, inner + key.length + 5);
      return head + pyScalar(v);
    });
    return '{' + parts.join(',\r\n' + ' '.repeat(inner)) + '}';
  }
  return pyScalar(value);
}

/** The structure as the CLI shows it, without the surrounding blank lines. */
export function structDisplay(value: unknown): string {
  return render(value, 0);
}
