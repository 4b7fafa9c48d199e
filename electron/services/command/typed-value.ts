// A word read as EdgeLake's params.get_value_if_available reads a policy value: `!x` / `$X` resolved, and a
// `.int`, `.float` or `.bool` suffix (on a reference or a literal: `!port.int`, `5.int`) giving a number or a
// boolean. A reference that is not defined, or a value that does not convert, leaves the word as written.
import type { Dictionary } from './dictionary.js';

export function typedValue(word: string, dictionary: Dictionary): unknown {
  const typed = /^(.+)\.(int|float|bool)$/.exec(word);
  const base = typed ? typed[1]! : word;
  const raw = base.startsWith('!') || base.startsWith('$') ? dictionary.resolve(base) : base;
  if (raw === undefined) return word;
  if (!typed) return raw;
  if (typed[2] === 'bool') return /^(true|1|yes)$/i.test(raw.trim());
  const n = Number(raw.trim());
  return raw.trim() !== '' && Number.isFinite(n) ? (typed[2] === 'int' ? Math.trunc(n) : n) : word;
}
