// Policy ids exactly as EdgeLake computes them (policies.md §2): md5 of a string built from the policy —
// `table:` / `cluster:` plus some fields for those types, Python's repr() of the whole policy for any other type.
// JSON.parse cannot tell 100 from 100.0 (Python keeps 1e2 a float and writes `100.0`), so policy text is read
// here by a parser that remembers which numbers were written as floats.
import { createHash } from 'node:crypto';
import { parsePyJson, PyFloat, pyRepr, pyStr, type PyValue } from '../command/format/pyvalue.js';
import { JsonNumberError } from '../core/json-reader.js';

export { parsePyJson, PyFloat, pyRepr, pyReprString, toPlain, type PyValue } from '../command/format/pyvalue.js';

const HASHED_FIELDS: Record<string, string[]> = {
  table: ['company', 'name', 'dbms'],
  cluster: ['company', 'name', 'parent', 'table'],
};

/** The string EdgeLake hashes for a policy (without `date` and `ledger`). */
export function idSource(policy: { [type: string]: { [key: string]: PyValue } }): string {
  const [type] = Object.keys(policy) as [string];
  const fields = HASHED_FIELDS[type];
  if (!fields) return pyRepr(policy);
  const inner = policy[type]!;
  return `${type}:${fields
    .filter((f) => f in inner)
    .map((f) => `${f}:${pyStr(inner[f]!)}:`)
    .join('')}`;
}

export function md5(text: string | Uint8Array): string {
  return createHash('md5').update(text).digest('hex');
}

/** EdgeLake's `date` text: UTC with microseconds. */
export function policyDate(d: Date): string {
  return d.toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
}

/**
 * Adds `id` and `date` as EdgeLake does (add_json_id_date): a policy with both is untouched; otherwise `date` and
 * `ledger` are taken out, the id computed (unless present), then `id`, `date` (kept or now) and `ledger` appended.
 */
export function withIdAndDate(policy: { [type: string]: { [key: string]: PyValue } }, now: Date): { [type: string]: { [key: string]: PyValue } } {
  const [type] = Object.keys(policy) as [string];
  const inner = policy[type]!;
  if ('id' in inner && 'date' in inner) return policy;
  const { date, ledger, ...rest } = inner;
  // An id that is there stays where it is; a computed one comes after the attributes.
  const out: { [key: string]: PyValue } = 'id' in rest ? { ...rest, date: date ?? policyDate(now) } : { ...rest, id: md5(idSource({ [type]: rest })), date: date ?? policyDate(now) };
  if (ledger !== undefined) out.ledger = ledger;
  return { [type]: out };
}

/**
 * Policy text as EdgeLake reads it (policies.md §3): `|` becomes `"`, characters outside space..~ become spaces;
 * if the JSON does not parse, a repair pass (single quotes -> double quotes, `\` -> `.`, upper case outside
 * strings -> lower case, a trailing comma dropped) is tried. Returns the one-root-key policy or throws a message.
 */
export function readPolicyText(text: string): { [type: string]: { [key: string]: PyValue } } {
  const filtered = text.replace(/\|/g, '"').replace(/[^\x20-\x7e]/g, ' ').trim();
  let value: PyValue;
  try {
    value = parsePyJson(filtered);
  } catch (first) {
    if (first instanceof JsonNumberError) {
      const [type, ...keys] = first.path;
      throw new Error(`${String(type)} policy: ${keys.join('.') || 'value'} '${first.literal}' ${first.why}`, { cause: first });
    }
    try {
      value = parsePyJson(repair(filtered));
    } catch {
      throw new Error(`not JSON: ${(first as Error).message}`);
    }
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value) || value instanceof PyFloat) throw new Error('a policy is a JSON object');
  const keys = Object.keys(value);
  if (keys.length !== 1) throw new Error(`a policy has exactly one root key, its type (found ${keys.length}: ${keys.join(', ') || 'none'})`);
  // EdgeLake: utils_json.get_policy_type gives '' and process_new_policy refuses it (`Policy not recognized`).
  if (!keys[0]!.trim()) throw new Error(`the policy type (its root key) is empty: '${keys[0]}'`);
  const inner = value[keys[0]!];
  if (inner === null || typeof inner !== 'object' || Array.isArray(inner) || inner instanceof PyFloat) throw new Error(`the value of '${keys[0]}' must be an object of attributes`);
  return value as { [type: string]: { [key: string]: PyValue } };
}

function repair(text: string): string {
  let out = '';
  let quote: string | undefined;
  for (const ch of text) {
    if (quote) {
      if (ch === quote) {
        quote = undefined;
        out += '"';
      } else out += ch === '\\' ? '.' : ch === '"' ? '\\"' : ch;
    } else if (ch === "'" || ch === '"') {
      quote = ch;
      out += '"';
    } else out += ch.toLowerCase();
  }
  return out.replace(/,\s*([}\]])/g, '$1');
}
