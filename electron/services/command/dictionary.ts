// The node's dictionary of variables (commands.md §4): `!name` references with typed suffixes and slices, `$ENV`
// references, `!!name` kept for a remote node, and paths that mix references and text (`!prep_dir/x.json`).
// Values are strings, in insertion order (`get dictionary where format = json` prints them in that order).
import type { DictionaryApi } from './types.js';

type Suffix = 'int' | 'float' | 'bool' | 'str' | 'len' | 'name';

export class Dictionary implements DictionaryApi {
  private readonly values = new Map<string, string>();
  constructor(private readonly env: Record<string, string | undefined>) {}

  get(key: string): string | undefined {
    return this.values.get(key);
  }
  set(key: string, value: string): void {
    this.values.set(key, value);
  }
  delete(key: string): void {
    this.values.delete(key);
  }
  entries(): [string, string][] {
    return [...this.values.entries()];
  }
  getEnv(name: string): string | undefined {
    return this.env[name];
  }
  setEnv(name: string, value: string): void {
    this.env[name] = value;
  }

  /**
   * Resolves one word. Returns undefined when a reference in it is not defined (callers decide: `print` shows
   * nothing, a `where` value is an error). Words without references come back unchanged.
   */
  resolve(word: string): string | undefined {
    if (word.startsWith('!!')) return word.slice(1);
    if (!word.includes('!') && !word.includes('$')) return word;
    if (word.startsWith('!') || word.startsWith('$')) {
      const whole = this.resolveReference(word);
      if (whole !== null) return whole;
    }
    // A path mixing references and text: resolve piece by piece; one undefined piece empties the whole.
    let undefinedPiece = false;
    const out = word.replace(/([!$])([A-Za-z_][\w]*)/g, (match, sigil: string, name: string) => {
      const value = sigil === '!' ? this.values.get(name) : this.env[name];
      if (value === undefined) {
        undefinedPiece = true;
        return match;
      }
      return value;
    });
    return undefinedPiece ? undefined : out;
  }

  /**
   * `!name[.suffix][slice]` or `$NAME` as a whole word; null when the word is not a single reference,
   * undefined when the reference is not defined.
   */
  private resolveReference(word: string): string | undefined | null {
    const m = /^([!$])([A-Za-z_][\w]*)(?:\.(int|float|bool|str|len|name))?(?:\[(-?\d*)(?::(-?\d*))?\])?$/.exec(word);
    if (!m) return null;
    const [, sigil, name, suffix, from, to] = m;
    let value = sigil === '!' ? this.values.get(name!) : this.env[name!];
    if (value === undefined) return undefined;
    if (from !== undefined || to !== undefined) {
      const sliced = sliceOf(value, from, to, word.includes(':'));
      if (sliced === undefined) return undefined;
      value = sliced;
    }
    return suffix ? applySuffix(value, suffix as Suffix) : value;
  }
}

function sliceOf(value: string, from: string | undefined, to: string | undefined, isRange: boolean): string | undefined {
  const n = value.length;
  const idx = (s: string | undefined, dflt: number) => {
    if (s === undefined || s === '') return dflt;
    const v = Number(s);
    return v < 0 ? Math.max(n + v, 0) : Math.min(v, n);
  };
  if (!isRange) {
    const i = idx(from, 0);
    return i < n ? value[i] : undefined;
  }
  return value.slice(idx(from, 0), idx(to, n));
}

function applySuffix(value: string, suffix: Suffix): string | undefined {
  switch (suffix) {
    case 'int': {
      const n = Number(value.trim());
      return Number.isFinite(n) ? String(Math.trunc(n)) : undefined;
    }
    case 'float': {
      const n = Number(value.trim());
      return Number.isFinite(n) ? String(n) : undefined;
    }
    case 'bool':
      return /^(true|1|yes)$/i.test(value.trim()) ? 'true' : 'false';
    case 'str':
      return value;
    case 'len': {
      try {
        const parsed: unknown = JSON.parse(value);
        if (Array.isArray(parsed)) return String(parsed.length);
        if (parsed && typeof parsed === 'object') return String(Object.keys(parsed).length);
      } catch {
        // not JSON: the length of the string
      }
      return String(value.length);
    }
    case 'name':
      return value.toLowerCase().replace(/\s+/g, '_');
  }
}

/**
 * Substitutes `!key` references inside JSON text (commands.md §4.2): a reference preceded by space, `:`, `[` or
 * `{` and outside double quotes is replaced. Dictionary values are strings and are inserted quoted unless they
 * hold a JSON array/object — observed: `a = 5` then `json {"x": !a}` gives {"x": "5"} (grammar.txt), although the
 * spec's prose says numbers go in bare; the real node wins.
 */
export function substituteInJson(text: string, dictionary: Dictionary): string {
  let out = '';
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (ch === '"' && text[i - 1] !== '\\') inString = !inString;
    if (!inString && ch === '!' && /[\s:[{,]/.test(text[i - 1] ?? ' ')) {
      const m = /^!([A-Za-z_]\w*)/.exec(text.slice(i));
      if (m) {
        const value = dictionary.get(m[1]!);
        if (value !== undefined) {
          out += jsonLiteral(value);
          i += m[0].length - 1;
          continue;
        }
      }
    }
    out += ch;
  }
  return out;
}

function jsonLiteral(value: string): string {
  const v = value.trim();
  if ((v.startsWith('{') && v.endsWith('}')) || (v.startsWith('[') && v.endsWith(']'))) return v;
  return JSON.stringify(value);
}
