// A small, safe evaluator for `python <expr>` (commands.md §4.3): numbers, quoted strings, True/False,
// + - * / // % **, unary minus, parentheses, comparisons, the string methods and indexing EdgeLake's deployment
// scripts use (`!version.split(" ")[0]`, `.strip().replace(" ", "_")`, `[-1]`, slices) and int/float/str/len.
// EdgeLake hands the text to Python's eval; we never evaluate code — anything outside this grammar is an error that
// names the character and its position.
import { CommandError, Status } from '../core/status.js';

type Value = number | string | boolean | Value[];

function fail(detail: string): never {
  throw new CommandError(Status.COMMAND_STRUCT, detail);
}

function lex(text: string): { t: string; v?: Value; pos: number }[] {
  const out: { t: string; v?: Value; pos: number }[] = [];
  let i = 0;
  while (i < text.length) {
    const ch = text[i]!;
    if (/\s/.test(ch)) {
      i++;
      continue;
    }
    const num = /^\d+(\.\d*)?([eE][+-]?\d+)?|^\.\d+/.exec(text.slice(i));
    if (num) {
      out.push({ t: 'v', v: Number(num[0]), pos: i + 1 });
      i += num[0].length;
      continue;
    }
    if (ch === '"' || ch === "'") {
      const end = text.indexOf(ch, i + 1);
      if (end === -1) fail(`Unterminated string at position ${i + 1}`);
      out.push({ t: 'v', v: text.slice(i + 1, end), pos: i + 1 });
      i = end + 1;
      continue;
    }
    const word = /^(True|False)\b/.exec(text.slice(i));
    if (word) {
      out.push({ t: 'v', v: word[1] === 'True', pos: i + 1 });
      i += word[0].length;
      continue;
    }
    const name = /^[A-Za-z_]\w*/.exec(text.slice(i));
    if (name) {
      out.push({ t: 'name', v: name[0], pos: i + 1 });
      i += name[0].length;
      continue;
    }
    const op = ['**', '//', '==', '!=', '<=', '>=', '+', '-', '*', '/', '%', '(', ')', '<', '>', '.', '[', ']', ',', ':'].find((o) => text.startsWith(o, i));
    if (!op) fail(`Unsupported character '${ch}' at position ${i + 1} in python expression`);
    out.push({ t: op, pos: i + 1 });
    i += op.length;
  }
  return out;
}

export function evaluateExpression(text: string): Value {
  const tokens = lex(text);
  let p = 0;
  const peek = () => tokens[p]?.t;
  const num = (v: Value, pos: number): number => {
    if (typeof v === 'number') return v;
    if (typeof v === 'boolean') return v ? 1 : 0;
    fail(`'${v}' at position ${pos} is not a number`);
  };
  const expect = (t: string, what: string) => {
    const tok = tokens[p++];
    if (tok?.t !== t) fail(`Expected '${t}' ${what}${tok ? ` at position ${tok.pos}` : ' at the end'}`);
  };
  const args = (): Value[] => {
    const out: Value[] = [];
    if (peek() === ')') {
      p++;
      return out;
    }
    for (;;) {
      out.push(comparison());
      if (peek() === ',') p++;
      else break;
    }
    expect(')', 'to close the arguments');
    return out;
  };
  const str = (v: Value, pos: number): string => (typeof v === 'string' ? v : fail(`'${pyStr(v)}' at position ${pos} is not a string`));
  const call = (fn: string, a: Value[], pos: number): Value => {
    const [x] = a;
    if (x === undefined) fail(`${fn}() at position ${pos} needs an argument`);
    switch (fn) {
      case 'int': {
        const n = typeof x === 'string' ? Number(x.trim()) : num(x, pos);
        if (!Number.isFinite(n) || (typeof x === 'string' && !/^\s*[-+]?\d+\s*$/.test(x))) fail(`int() at position ${pos}: '${pyStr(x)}' is not an integer`);
        return Math.trunc(n);
      }
      case 'float': {
        const n = typeof x === 'string' ? Number(x.trim()) : num(x, pos);
        if (Number.isNaN(n)) fail(`float() at position ${pos}: '${pyStr(x)}' is not a number`);
        return n;
      }
      case 'str':
        return pyStr(x);
      case 'len':
        return typeof x === 'string' || Array.isArray(x) ? x.length : fail(`len() at position ${pos} takes a string or a list`);
      default:
        return fail(`Unsupported function '${fn}' at position ${pos} (int, float, str, len)`);
    }
  };
  const method = (v: Value, name: string, a: Value[], pos: number): Value => {
    const s = str(v, pos);
    const arg = (i: number) => str(a[i] ?? fail(`${name}() at position ${pos} needs ${i + 1} argument(s)`), pos);
    switch (name) {
      case 'split': {
        if (a.length === 0) return s.trim() === '' ? [] : s.trim().split(/\s+/);
        return s.split(arg(0));
      }
      case 'strip':
        return s.trim();
      case 'lstrip':
        return s.trimStart();
      case 'rstrip':
        return s.trimEnd();
      case 'lower':
        return s.toLowerCase();
      case 'upper':
        return s.toUpperCase();
      case 'replace':
        return s.split(arg(0)).join(arg(1));
      case 'startswith':
        return s.startsWith(arg(0));
      case 'endswith':
        return s.endsWith(arg(0));
      default:
        return fail(`Unsupported method '.${name}()' at position ${pos} (split, strip, lower, upper, replace, startswith, endswith)`);
    }
  };
  const index = (v: Value, pos: number): Value => {
    if (typeof v !== 'string' && !Array.isArray(v)) fail(`'${pyStr(v)}' at position ${pos} cannot be indexed`);
    const len = v.length;
    const at = (n: number) => (n < 0 ? Math.max(0, len + n) : Math.min(n, len));
    const start = peek() === ':' ? undefined : num(comparison(), pos);
    if (peek() === ':') {
      p++;
      const end = peek() === ']' ? undefined : num(comparison(), pos);
      expect(']', 'to close the slice');
      return v.slice(start === undefined ? 0 : at(start), end === undefined ? len : at(end));
    }
    expect(']', 'to close the index');
    const i = start! < 0 ? len + start! : start!;
    if (!Number.isInteger(i) || i < 0 || i >= len) fail(`Index ${start} at position ${pos} is out of range (length ${len})`);
    return v[i]!;
  };
  const postfix = (base: Value): Value => {
    let v = base;
    for (;;) {
      const tok = tokens[p];
      if (tok?.t === '.' && tokens[p + 1]?.t === 'name' && tokens[p + 2]?.t === '(') {
        p += 3;
        v = method(v, String(tokens[p - 2]!.v), args(), tok.pos);
      } else if (tok?.t === '[') {
        p++;
        v = index(v, tok.pos);
      } else return v;
    }
  };
  const primary = (): Value => postfix(atom());
  const atom = (): Value => {
    const tok = tokens[p++];
    if (!tok) fail('Incomplete python expression');
    if (tok.t === 'v') return tok.v!;
    if (tok.t === 'name') {
      if (peek() !== '(') fail(`Unknown name '${String(tok.v)}' at position ${tok.pos}`);
      p++;
      return call(String(tok.v), args(), tok.pos);
    }
    if (tok.t === '(') {
      const v = comparison();
      if (tokens[p++]?.t !== ')') fail(`Missing ')' for '(' at position ${tok.pos}`);
      return v;
    }
    if (tok.t === '-') return -num(unary(), tok.pos);
    if (tok.t === '+') return num(unary(), tok.pos);
    fail(`Unexpected '${tok.t}' at position ${tok.pos}`);
  };
  const unary = (): Value => primary();
  const power = (): Value => {
    const base = unary();
    if (peek() === '**') {
      const pos = tokens[p++]!.pos;
      return num(base, pos) ** num(power(), pos);
    }
    return base;
  };
  const term = (): Value => {
    let v = power();
    while (['*', '/', '//', '%'].includes(peek() ?? '')) {
      const { t, pos } = tokens[p++]!;
      const r = power();
      if (t === '*' && typeof v === 'string') v = v.repeat(num(r, pos));
      else {
        const [a, b] = [num(v, pos), num(r, pos)];
        if ((t === '/' || t === '//' || t === '%') && b === 0) fail(`Division by zero at position ${pos}`);
        v = t === '*' ? a * b : t === '/' ? a / b : t === '//' ? Math.floor(a / b) : ((a % b) + b) % b;
      }
    }
    return v;
  };
  const sum = (): Value => {
    let v = term();
    while (peek() === '+' || peek() === '-') {
      const { t, pos } = tokens[p++]!;
      const r = term();
      if (t === '+' && typeof v === 'string' && typeof r === 'string') v = v + r;
      else if (t === '+' && Array.isArray(v) && Array.isArray(r)) v = [...v, ...r];
      else v = t === '+' ? num(v, pos) + num(r, pos) : num(v, pos) - num(r, pos);
    }
    return v;
  };
  const comparison = (): Value => {
    const v = sum();
    const op = peek();
    if (op && ['==', '!=', '<', '<=', '>', '>='].includes(op)) {
      p++;
      const r = sum();
      switch (op) {
        case '==':
          return v === r;
        case '!=':
          return v !== r;
        case '<':
          return v < r;
        case '<=':
          return v <= r;
        case '>':
          return v > r;
        default:
          return v >= r;
      }
    }
    return v;
  };
  const result = comparison();
  if (p < tokens.length) fail(`Unexpected '${tokens[p]!.t}' at position ${tokens[p]!.pos}`);
  return result;
}

/** Python's str() of the result (a list as Python prints it). */
export function pyStr(v: Value): string {
  if (Array.isArray(v)) return `[${v.map((x) => (typeof x === 'string' ? `'${x}'` : pyStr(x))).join(', ')}]`;
  if (typeof v === 'boolean') return v ? 'True' : 'False';
  if (typeof v === 'number' && !Number.isInteger(v)) return String(v);
  return String(v);
}

/**
 * The expression text of `python <words>`: quoted words as string literals, `!x` inside a word
 * (`!version.split(" ")[0]`) replaced by its value — numbers as they are, text as a string literal.
 */
export function pythonSource(tokens: readonly { text: string; quoted: boolean }[], resolve: (ref: string) => string | undefined): string {
  const literal = (v: string) => (/^-?\d+(\.\d+)?$/.test(v.trim()) ? v.trim() : JSON.stringify(v));
  return tokens.map((t) => (t.quoted ? JSON.stringify(t.text) : t.text.replace(/![A-Za-z_]\w*(?:\.(?:int|float|str|bool)\b)?/g, (ref) => literal(resolve(ref) ?? '')))).join(' ');
}
