// `if` conditions (commands.md §6): `<v>`, `not <v>`, `<a> <op> <b>` with == != < <= > >= contains startswith
// endswith, and parenthesised groups joined by `and` / `or`. Both sides compare as strings, case-insensitively,
// unless a side carries a `.int` / `.float` suffix (then numerically).
import { CommandError, Status } from '../core/status.js';
import type { Dictionary } from './dictionary.js';
import { tokenize, type Token } from './tokenizer.js';

const OPERATORS = new Set(['==', '!=', '<', '<=', '>', '>=', 'contains', 'startswith', 'endswith']);

function value(token: Token, dictionary: Dictionary): { text: string | undefined; numeric: boolean } {
  if (token.quoted) return { text: token.text, numeric: false };
  const numeric = /\.(int|float)$/.test(token.text);
  return { text: dictionary.resolve(token.text), numeric };
}

function compare(a: Token, op: string, b: Token, dictionary: Dictionary): boolean {
  const left = value(a, dictionary);
  const right = value(b, dictionary);
  const l = left.text ?? '';
  const r = right.text ?? '';
  if ((left.numeric || right.numeric) && ['==', '!=', '<', '<=', '>', '>='].includes(op)) {
    const [x, y] = [Number(l), Number(r)];
    if (Number.isNaN(x) || Number.isNaN(y)) {
      throw new CommandError(Status.COMMAND_STRUCT, `Condition compares '${l}' and '${r}' as numbers at position ${a.pos}`);
    }
    return { '==': x === y, '!=': x !== y, '<': x < y, '<=': x <= y, '>': x > y, '>=': x >= y }[op]!;
  }
  const [x, y] = [l.toLowerCase(), r.toLowerCase()];
  switch (op) {
    case '==':
      return x === y;
    case '!=':
      return x !== y;
    case '<':
      return x < y;
    case '<=':
      return x <= y;
    case '>':
      return x > y;
    case '>=':
      return x >= y;
    case 'contains':
      return x.includes(y);
    case 'startswith':
      return x.startsWith(y);
    default:
      return x.endsWith(y);
  }
}

function truthy(token: Token, dictionary: Dictionary): boolean {
  const v = value(token, dictionary).text;
  if (v === undefined) return false;
  const t = v.trim().toLowerCase();
  return t !== '' && t !== '0' && t !== 'false';
}

/** Evaluates a simple condition (no and/or): `v`, `not v`, `a op b`. */
function simple(tokens: Token[], dictionary: Dictionary): boolean {
  if (tokens.length === 1) return truthy(tokens[0]!, dictionary);
  if (tokens.length === 2 && tokens[0]!.text === 'not') return !truthy(tokens[1]!, dictionary);
  if (tokens.length === 3 && OPERATORS.has(tokens[1]!.text)) return compare(tokens[0]!, tokens[1]!.text, tokens[2]!, dictionary);
  const at = tokens[0]?.pos ?? 0;
  throw new CommandError(Status.COMMAND_STRUCT, `Cannot evaluate condition '${tokens.map((t) => t.text).join(' ')}' at position ${at}`);
}

/** Evaluates a condition given as tokens; parenthesised groups are re-tokenized. */
export function evaluateCondition(tokens: Token[], dictionary: Dictionary): boolean {
  if (tokens.length === 0) throw new CommandError(Status.COMMAND_STRUCT, 'Missing condition');
  // Split at top-level and/or; evaluate left to right with `and` binding tighter than `or`.
  const groups: { tokens: Token[]; joiner?: 'and' | 'or' }[] = [{ tokens: [] }];
  for (const token of tokens) {
    if (!token.quoted && (token.text === 'and' || token.text === 'or')) groups.push({ tokens: [], joiner: token.text });
    else groups[groups.length - 1]!.tokens.push(token);
  }
  const evalGroup = (g: Token[]): boolean => {
    if (g.length === 1 && /^\(.*\)$/s.test(g[0]!.text)) {
      const inner = tokenize(g[0]!.text.slice(1, -1)).map((t) => ({ ...t, pos: t.pos + g[0]!.pos }));
      return evaluateCondition(inner, dictionary);
    }
    return simple(g, dictionary);
  };
  let result = false;
  let andChain = true;
  for (const [i, g] of groups.entries()) {
    if (i > 0 && g.joiner === 'or') {
      result = result || andChain;
      andChain = true;
    }
    andChain = andChain && evalGroup(g.tokens);
  }
  return result || andChain;
}
