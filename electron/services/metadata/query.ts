// `blockchain get <type|*|(t1, t2)> [where ...] [bring ...]` (policies.md §5, commands.md §7): selecting policies
// and pulling values out of them.
import { formatTable } from '../command/format/table.js';
import { pyJsonDumps } from '../command/format/pyjson.js';
import { evaluateCondition } from '../command/conditions.js';
import type { Dictionary } from '../command/dictionary.js';
import type { Token } from '../command/tokenizer.js';
import { CommandError, Status } from '../core/status.js';
import { bodyOf, typeOf, type Policy } from './ledger.js';
import { PyFloat, toPlain, type PyValue } from './policy-id.js';

const fail = (detail: string) => new CommandError(Status.COMMAND_STRUCT, detail);

/** `operator`, `*`, `(operator, query)` -> a type test. */
export function typeSelector(text: string): (type: string) => boolean {
  if (text === '*') return () => true;
  const list = text.replace(/^\(|\)$/g, '').split(',').map((t) => t.trim().toLowerCase()).filter(Boolean);
  if (list.length === 0) throw fail(`'${text}' names no policy type`);
  return (type) => list.includes(type.toLowerCase());
}

/** `[a][b]`, `a[b]`, `['a']["b"]` -> ['a', 'b']; `[]` -> [''] (the policy type). */
export function keyPath(text: string): string[] {
  const parts: string[] = [];
  const head = /^([^[\]]+)(?=\[|$)/.exec(text);
  if (head) parts.push(head[1]!);
  for (const m of text.slice(head ? head[1]!.length : 0).matchAll(/\[\s*(['"]?)([^\]]*?)\1\s*\]/g)) parts.push(m[2]!);
  return parts;
}

/** The value at a key path inside a policy: `*` or '' is the type; a list continues into its first element that has the key. */
export function valueAt(policy: Policy, path: readonly string[], dictionary?: Dictionary): PyValue | undefined {
  const type = typeOf(policy);
  let current: PyValue | undefined = policy as unknown as PyValue;
  for (const [i, k] of path.entries()) {
    const key = k.startsWith('!') && dictionary ? (dictionary.resolve(k) ?? k) : k;
    if (i > 0 && key === '') {
      // [a][][x]: `a` is a list; pull the rest of the path from every element.
      if (!Array.isArray(current)) return undefined;
      const rest = path.slice(i + 1);
      return current.map((e) => (rest.length > 0 ? valueAt({ x: e as { [k: string]: PyValue } }, ['x', ...rest], dictionary) : e)).filter((v): v is PyValue => v !== undefined);
    }
    if (i === 0 && (key === '*' || key === '')) {
      if (path.length === 1) return type;
      current = policy[type];
      continue;
    }
    if (current === undefined || current === null || typeof current !== 'object' || current instanceof PyFloat) return undefined;
    if (Array.isArray(current)) {
      if (/^\d+$/.test(key)) current = current[Number(key)];
      else {
        const holder: PyValue | undefined = current.find((e) => e !== null && typeof e === 'object' && !Array.isArray(e) && !(e instanceof PyFloat) && key in e);
        current = holder === undefined ? undefined : (holder as { [k: string]: PyValue })[key];
      }
    } else current = current[key];
  }
  return current;
}

/** A value as text (strings as they are, numbers as Python prints them, structures as JSON). */
export function valueText(v: PyValue | undefined): string {
  if (v === undefined || v === null) return '';
  if (typeof v === 'string') return v;
  if (typeof v === 'boolean') return v ? 'True' : 'False';
  return pyJsonDumps(v);
}

/** Form 1 match of one `key = value` pair against a policy body (policies.md §5). */
function pairMatches(policy: Policy, key: string, value: string): boolean {
  const path = key.includes('[') ? keyPath(key) : [key];
  // `table[name]` / `[table][name]` read inside the body; a bare key is an attribute of the body.
  const found = valueAt({ x: bodyOf(policy) }, ['x', ...path.filter((p, i) => !(i === 0 && p === typeOf(policy) && path.length > 1))]);
  if (found === undefined) return false;
  const v = value.toLowerCase();
  if (typeof found === 'string') return found === '*' || found.toLowerCase() === v;
  if (typeof found === 'number' || found instanceof PyFloat) return Number(value) === (found instanceof PyFloat ? found.value : found);
  if (typeof found === 'boolean') return String(found) === v || (found ? 'true' : 'false') === v;
  if (Array.isArray(found)) return found.some((e) => typeof e === 'string' && e.toLowerCase() === v);
  return false;
}

/** The policies of `selector` that satisfy the where tokens (form 1 pairs, or an `if` condition with [keys]). */
export function selectPolicies(policies: readonly Policy[], selector: string, where: readonly Token[], dictionary: Dictionary): Policy[] {
  const ofType = typeSelector(selector);
  const typed = policies.filter((p) => ofType(typeOf(p)));
  if (where.length === 0) return typed;
  const words = where.map((t) => (t.quoted ? t.text : (dictionary.resolve(t.text) ?? t.text)));
  // Form 1: key = value [and key = value]... / key with value.
  const pairs: { key: string; value: string; with: boolean }[] = [];
  let form1 = true;
  for (let i = 0; i < where.length; i += 4) {
    const [k, op, v, join] = [where[i], where[i + 1], where[i + 2], where[i + 3]];
    if (!k || !op || !v || (op.text !== '=' && op.text !== 'with') || k.quoted || (join && (join.text !== 'and' || join.quoted))) {
      form1 = false;
      break;
    }
    pairs.push({ key: k.text, value: words[i + 2]!, with: op.text === 'with' });
  }
  if (form1) return typed.filter((p) => pairs.every((pair) => pairMatches(p, pair.key, pair.value)));
  // Form 2: an `if` condition; [key] reads the policy's attribute.
  return typed.filter((p) => {
    const tokens = where.map((t) => (!t.quoted && /^\[.*\]$/.test(t.text) ? { ...t, text: valueText(valueAt({ x: bodyOf(p) }, ['x', ...keyPath(t.text)], dictionary)), quoted: true } : t));
    return evaluateCondition(tokens, dictionary);
  });
}

export interface BringSpec {
  modifiers: string[];
  items: Token[];
  separator?: string | undefined;
}

/** Splits `bring[.m...] items... [separator = s]` from the command's tokens (from the `bring` token on). */
export function parseBring(tokens: readonly Token[]): BringSpec {
  const [head, ...rest] = tokens;
  const modifiers = head!.text.split('.').slice(1).map((m) => m.toLowerCase());
  let separator: string | undefined;
  const sepAt = rest.findIndex((t, i) => !t.quoted && t.text === 'separator' && rest[i + 1]?.text === '=');
  let items = rest;
  if (sepAt >= 0) {
    const sep = rest[sepAt + 2];
    if (!sep) throw fail('separator = needs a value');
    separator = sep.text.replace(/\\n/g, '\n').replace(/\\t/g, '\t');
    items = [...rest.slice(0, sepAt), ...rest.slice(sepAt + 3)];
  }
  const known = new Set(['first', 'recent', 'last', 'unique', 'json', 'table', 'sort', 'null', 'count', 'ip_port', 'min', 'max', 'list', 'children']);
  for (const m of modifiers) if (!known.has(m.replace(/\(.*\)$/, ''))) throw fail(`bring.${m}: unknown (first, recent, unique, json, table, count, ip_port, min, max, list, null, children)`);
  return { modifiers, items, separator };
}

function itemValue(policy: Policy, item: Token, dictionary: Dictionary): { key: string; value: PyValue | undefined; literal: boolean } {
  if (item.quoted || !item.text.includes('[')) return { key: '', value: item.text.replace(/\\n/g, '\n').replace(/\\t/g, '\t'), literal: true };
  // [a][b]:[c][d] — the first that exists.
  for (const alt of item.text.split(/(?<=\]):(?=\[)/)) {
    const path = keyPath(alt);
    const value = valueAt(policy, path, dictionary);
    const key = path[path.length - 1] || 'policy';
    if (value !== undefined) return { key, value, literal: false };
  }
  const path = keyPath(item.text.split(/(?<=\]):(?=\[)/)[0]!);
  return { key: path[path.length - 1] || 'policy', value: undefined, literal: false };
}

/** The text `bring` produces, or a JSON value (bring.json and no items with first/recent). */
export function bring(selected: readonly Policy[], spec: BringSpec, all: readonly Policy[], dictionary: Dictionary): { text: string } | { json: unknown } {
  const has = (m: string) => spec.modifiers.some((x) => x === m || x.startsWith(`${m}(`));
  let policies = [...selected];
  if (has('children')) policies = all.filter((p) => policies.some((s) => bodyOf(p).parent !== undefined && bodyOf(p).parent === bodyOf(s).id));
  if (has('first')) policies = policies.slice(0, 1);
  if (has('recent') || has('last')) policies = policies.slice(-1);
  if (has('count') && spec.items.length === 0) return { text: String(policies.length) };
  if (has('ip_port')) return { text: policies.map((p) => `${valueText(bodyOf(p).ip)}:${valueText(bodyOf(p).port)}`).join(',') };
  if (spec.items.length === 0) return { json: policies.map((p) => toPlain(p as unknown as PyValue)) };

  if (has('json') || has('table')) {
    const rows = policies.map((p) => spec.items.filter((i) => !i.quoted && i.text.includes('[')).map((i) => itemValue(p, i, dictionary)));
    if (has('json')) {
      const objects = rows.map((r) => Object.fromEntries(r.filter((c) => c.value !== undefined || has('null')).map((c) => [c.key, c.value === undefined ? '' : toPlain(c.value)])));
      return { text: `[${objects.map((o) => pyJsonDumps(o)).join(',')}]` };
    }
    const titles = (rows[0] ?? spec.items.map((i) => itemValue(policies[0] ?? { x: {} }, i, dictionary))).map((c) => (c.key === 'policy' ? 'Policy' : c.key));
    let cells = rows.map((r) => r.map((c) => valueText(c.value)));
    const sort = spec.modifiers.find((m) => m === 'sort' || m.startsWith('sort('));
    if (sort) {
      const order = sort === 'sort' ? titles.map((_, i) => i) : sort.slice(5, -1).split(',').map(Number);
      cells = [...cells].sort((a, b) => {
        for (const i of order) {
          const c = (a[i] ?? '').localeCompare(b[i] ?? '', undefined, { numeric: true });
          if (c !== 0) return c;
        }
        return 0;
      });
    }
    return { text: formatTable(titles, cells, { capitalTitle: true }) };
  }

  let outputs = policies.map((p) => spec.items.map((i) => valueText(itemValue(p, i, dictionary).value)).join(''));
  if (has('unique')) outputs = [...new Set(outputs)];
  if (has('count')) return { text: String(outputs.filter((o) => o !== '').length) };
  if (has('min') || has('max')) {
    const values = outputs.filter((o) => o !== '');
    const numeric = values.every((v) => v.trim() !== '' && !Number.isNaN(Number(v)));
    const pick = values.reduce<string | undefined>((best, v) => {
      if (best === undefined) return v;
      const less = numeric ? Number(v) < Number(best) : v < best;
      return has('min') === less ? v : best;
    }, undefined);
    return { text: pick ?? '' };
  }
  if (has('list')) return { text: pyJsonDumps(outputs) };
  return { text: outputs.join(spec.separator ?? '') };
}
