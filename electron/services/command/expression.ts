// A small, safe evaluator for `python <expr>` (commands.md §4.3): numbers, quoted strings, True/False,
// + - * / // % **, unary minus, parentheses and comparisons. EdgeLake hands the text to Python's eval; we never
// evaluate code — anything outside this grammar is an error that names the character and its position.
import { CommandError, Status } from '../core/status.js';

type Value = number | string | boolean;

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
    const op = ['**', '//', '==', '!=', '<=', '>=', '+', '-', '*', '/', '%', '(', ')', '<', '>'].find((o) => text.startsWith(o, i));
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
  const primary = (): Value => {
    const tok = tokens[p++];
    if (!tok) fail('Incomplete python expression');
    if (tok.t === 'v') return tok.v!;
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

/** Python's str() of the result. */
export function pyStr(v: Value): string {
  if (typeof v === 'boolean') return v ? 'True' : 'False';
  if (typeof v === 'number' && !Number.isInteger(v)) return String(v);
  return String(v);
}
