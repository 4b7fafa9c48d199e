// `where` clauses (commands.md §5): `key = value [and key = value]...`. The key is every word up to `=`; the value
// every word up to the next unquoted `and`, joined with single spaces. Values are typed by the command's schema;
// an unknown key, a repeated unique key, a missing required key or a value of the wrong type is a CommandError
// (code 2) naming the key, the value and its position. Unknown keys get a "did you mean".
import { CommandError, Status } from '../core/status.js';
import type { Dictionary } from './dictionary.js';
import type { Token } from './tokenizer.js';
import type { OptionSpec, WhereOptions, WhereSchema } from './types.js';

const TIME_UNITS: Record<string, number> = { second: 1, minute: 60, hour: 3600, day: 86400, week: 604800, month: 2592000, year: 31536000 };
const STORAGE_UNITS: Record<string, number> = { '': 1, kb: 1024, mb: 1024 ** 2, gb: 1024 ** 3, tb: 1024 ** 4 };

function err(detail: string): CommandError {
  return new CommandError(Status.COMMAND_STRUCT, detail);
}

/** Levenshtein distance, for "did you mean". */
function distance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0]![j] = j;
  for (let i = 1; i <= a.length; i++)
    for (let j = 1; j <= b.length; j++)
      d[i]![j] = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
  return d[a.length]![b.length]!;
}

export function didYouMean(word: string, candidates: readonly string[]): string {
  let best: string | undefined;
  let bestScore = Infinity;
  for (const c of candidates) {
    const s = distance(word, c);
    if (s < bestScore) [best, bestScore] = [c, s];
  }
  return best !== undefined && bestScore <= Math.max(2, Math.floor(word.length / 3)) ? `; did you mean '${best}'?` : '';
}

/** Converts one value to its declared type. */
export function convertValue(key: string, raw: string, spec: OptionSpec, pos: number): unknown {
  const bad = (what: string) => err(`Value '${raw}' of '${key}' at position ${pos} is not ${what}`);
  switch (spec.type) {
    case 'str':
    case 'nested':
    case 'date':
      return raw;
    case 'int':
      if (!/^-?\d+$/.test(raw)) throw bad('an integer');
      return Number(raw);
    case 'bool':
      if (!/^(true|false)$/i.test(raw)) throw bad("'true' or 'false'");
      return raw.toLowerCase() === 'true';
    case 'int.time': {
      const m = /^(\d+)\s*([a-z]+?)s?$/i.exec(raw);
      const unit = m?.[2]?.toLowerCase();
      if (!m || !unit || !(unit in TIME_UNITS)) throw bad("a time such as '30 seconds' (seconds, minutes, hours, days)");
      return Number(m[1]) * TIME_UNITS[unit]!;
    }
    case 'int.storage': {
      const m = /^(\d+)\s*(kb|mb|gb|tb)?$/i.exec(raw);
      if (!m) throw bad("a size such as '10KB' (KB, MB, GB, TB)");
      return Number(m[1]) * STORAGE_UNITS[(m[2] ?? '').toLowerCase()]!;
    }
    case 'ip.port':
      if (!/^[^\s:]+:\d{1,5}$/.test(raw)) throw bad("an 'ip:port' address");
      return raw;
    case 'dir':
      return raw;
    case 'format':
      if (raw !== 'json' && raw !== 'table') throw bad("'json' or 'table'");
      return raw;
  }
}

/**
 * Parses the tokens after `where`. `schema` undefined means the command takes no where clause. `format` is
 * accepted by every command that declares it.
 */
export function parseWhere(tokens: readonly Token[], schema: WhereSchema, dictionary: Dictionary): WhereOptions {
  const options: WhereOptions = {};
  const keys = Object.keys(schema);
  let i = 0;
  while (i < tokens.length) {
    const keyStart = tokens[i]!;
    const keyWords: string[] = [];
    while (i < tokens.length && !(tokens[i]!.text === '=' && !tokens[i]!.quoted)) keyWords.push(tokens[i++]!.text);
    if (i >= tokens.length) throw err(`Missing '=' after '${keyWords.join(' ')}' at position ${keyStart.pos}`);
    const key = keyWords.join(' ');
    if (!key) throw err(`Missing key before '=' at position ${tokens[i]!.pos}`);
    i++; // '='
    const valueTokens: Token[] = [];
    while (i < tokens.length && !(tokens[i]!.text === 'and' && !tokens[i]!.quoted)) valueTokens.push(tokens[i++]!);
    if (i < tokens.length) i++; // 'and'
    const spec = schema[key];
    if (!spec) throw err(`Unknown key '${key}' at position ${keyStart.pos}${didYouMean(key, keys)}`);
    if (valueTokens.length === 0) throw err(`Missing value for '${key}' at position ${keyStart.pos}`);
    const pos = valueTokens[0]!.pos;
    const resolved = valueTokens.map((t) => {
      if (t.quoted) return t.text;
      const v = dictionary.resolve(t.text);
      if (v === undefined) throw err(`Missing dictionary definition for: '${t.text}' at position ${t.pos}`);
      return v;
    });
    let raws = [resolved.join(' ')];
    const single = valueTokens.length === 1 ? valueTokens[0]! : undefined;
    if (spec.type !== 'nested' && single && !single.quoted && /^\(.*\)$/s.test(resolved[0]!)) {
      raws = resolved[0]!.slice(1, -1).split(',').map((s) => s.trim()).filter((s) => s.length > 0);
    } else if (spec.type === 'nested' && /^\(.*\)$/s.test(raws[0]!)) {
      raws = [raws[0]!.slice(1, -1).trim()];
    }
    const values = raws.map((r) => convertValue(key, r, spec, pos));
    if (spec.repeat) {
      options[key] = [...((options[key] as unknown[] | undefined) ?? []), ...values];
    } else {
      if (key in options || values.length > 1) throw err(`Multiple values to key '${key}' at position ${keyStart.pos}`);
      options[key] = values[0];
    }
  }
  for (const [key, spec] of Object.entries(schema)) {
    if (key in options) continue;
    if (spec.required) throw err(`Missing '${key}' in command variables`);
    if (spec.default !== undefined) options[key] = spec.default;
  }
  return options;
}

/**
 * The seed's positional form of a server command, `run tcp server <ip> <port>` (`run tcp server !ip !port` in
 * older scripts): the address as both external and internal, then the where options, if any.
 */
export function positional(args: readonly string[], options: WhereOptions, command: string): WhereOptions {
  if (args.length === 0) return options;
  const [ip, portText] = args;
  const port = Number(portText);
  if (args.length !== 2 || !ip || !Number.isInteger(port) || port < 1 || port > 65535) {
    throw new CommandError(Status.COMMAND_STRUCT, `${command} <ip> <port>: '${args.join(' ')}' is not an address and a port (or use ${command} where external_ip = .. and external_port = ..)`);
  }
  return { ...options, external_ip: ip, external_port: port, internal_ip: options.internal_ip ?? ip, internal_port: options.internal_port ?? port };
}
