// Building policies and reading the network from them (commands.md §9.5-9.6): create policy, set policy, get data
// nodes, get cluster info.
import { pyJsonDumps } from '../command/format/pyjson.js';
import type { CommandResult, CommandSpec } from '../command/types.js';
import { CommandError, Status } from '../core/status.js';
import type { MetadataHost } from './host.js';
import { formatTable } from '../command/format/table.js';
import { tableResult } from '../command/results.js';
import type { PolicyBody } from './ledger.js';
import { valueText } from './query.js';
import { pairs } from './words.js';
import type { Dictionary } from '../command/dictionary.js';
import { typedValue } from '../command/typed-value.js';

const text = (t: string): CommandResult => ({ code: 0, output: { kind: 'text', text: t } });
const fail = (code: number, detail: string) => new CommandError(code, detail);

/** `with defaults` ports per type (policies.md §1). */
const DEFAULT_PORTS: Record<string, [number, number]> = { master: [32048, 32049], operator: [32148, 32149], query: [32348, 32349], publisher: [32248, 32249] };

export function policyCommands(host: MetadataHost): CommandSpec[] {
  const dictionary = host.dictionary;
  return [
    {
      key: 'create policy',
      usage: 'create policy [policy type] [with defaults] where [key value pairs]',
      help: "Builds a policy (x = create policy master with defaults where company = .. and name = ..). 'with defaults' adds ip, internal_ip, port and rest_port (status for a cluster).",
      raw: true,
      run: (_ctx, inv) => {
        const [type, ...rest] = inv.tokens;
        if (!type || type.text === 'where') throw fail(Status.COMMAND_STRUCT, 'usage: create policy <type> [with defaults] where key = value ...');
        let i = 0;
        const withDefaults = rest[0]?.text === 'with' && rest[1]?.text === 'defaults';
        if (withDefaults) i = 2;
        if (rest[i] && rest[i]!.text !== 'where') throw fail(Status.COMMAND_STRUCT, `create policy: expected 'where' at position ${rest[i]!.pos}`);
        const body: PolicyBody = Object.fromEntries(pairs(rest.slice(i + 1), dictionary, 'create policy'));
        if (withDefaults) {
          const t = type.text.toLowerCase();
          if (t === 'cluster') body.status ??= 'active';
          else {
            body.ip ??= dictionary.get('external_ip') ?? dictionary.get('ip') ?? '';
            body.internal_ip ??= dictionary.get('ip') ?? '';
            const ports = DEFAULT_PORTS[t];
            if (ports) {
              body.port = body.port === undefined ? ports[0] : Number(body.port);
              body.rest_port = body.rest_port === undefined ? ports[1] : Number(body.rest_port);
            }
          }
        }
        return { code: 0, output: { kind: 'json', value: { [type.text]: body } } };
      },
    },
    {
      key: 'set policy',
      usage: 'set policy [policy name] [policy key value pairs]',
      help: 'Builds a policy in a variable step by step: set policy p [config] = {} and [config][company] = anylog',
      raw: true,
      run: (_ctx, inv) => {
        const [nameToken, ...rest] = inv.tokens;
        if (!nameToken) throw fail(Status.COMMAND_STRUCT, 'usage: set policy <name> [type][key] = value ...');
        let name = nameToken.text;
        let tokens = rest;
        const bracket = name.indexOf('[');
        if (bracket > 0) {
          tokens = [{ ...nameToken, text: name.slice(bracket) }, ...rest];
          name = name.slice(0, bracket);
        }
        let value: { [key: string]: unknown } = {};
        const current = dictionary.get(name);
        if (current) {
          try {
            value = JSON.parse(current) as { [key: string]: unknown };
          } catch {
            throw fail(Status.COMMAND_STRUCT, `set policy: '${name}' holds text that is not JSON`);
          }
        }
        for (let i = 0; i < tokens.length; i += 4) {
          const [pathToken, eq, valueToken, join] = [tokens[i], tokens[i + 1], tokens[i + 2], tokens[i + 3]];
          if (!pathToken || !valueToken || (eq?.text !== '=' && eq?.text !== '+') || (join && join.text !== 'and')) {
            throw fail(Status.COMMAND_STRUCT, `set policy: expected '[key][key] = value [and ...]' at position ${(pathToken ?? tokens[tokens.length - 1])?.pos ?? 0}`);
          }
          // Keys may hold references: [!node_type][port] (EdgeLake's get_value_if_available on each key).
          const keys = [...pathToken.text.matchAll(/\[([^\]]*)\]/g)].map((m) => {
            const key = m[1]!.replace(/^['"]|['"]$/g, '');
            return key.startsWith('!') || key.startsWith('$') ? (dictionary.resolve(key) ?? key) : key;
          });
          if (keys.length === 0) throw fail(Status.COMMAND_STRUCT, `set policy: '${pathToken.text}' is not [key] or [key][key]`);
          let holder = value;
          for (const k of keys.slice(0, -1)) {
            if (typeof holder[k] !== 'object' || holder[k] === null) holder[k] = {};
            holder = holder[k] as { [key: string]: unknown };
          }
          const last = keys[keys.length - 1]!;
          const v = policyValue(valueToken, dictionary);
          if (eq.text === '+') {
            if (!Array.isArray(holder[last])) throw fail(Status.COMMAND_STRUCT, `set policy: '${pathToken.text}' does not lead to a list to append to`);
            (holder[last] as unknown[]).push(v);
          } else holder[last] = v;
        }
        dictionary.set(name, pyJsonDumps(value));
        return { code: 0 };
      },
    },
    {
      key: 'get data nodes',
      usage: 'get data nodes where company = [company name] and dbms = [dbms name] and table = [table name]',
      help: 'The operators that host each table, by cluster.',
      maxArgs: 0,
      where: { company: { type: 'str' }, dbms: { type: 'str' }, table: { type: 'str' }, sort: { type: 'str' }, format: { type: 'format', default: 'table' } },
      run: async (_ctx, inv) => {
        const o = inv.options as { company?: string; dbms?: string; table?: string };
        const is = (a: unknown, b: string | undefined) => b === undefined || b === '*' || String(a).toLowerCase() === b.toLowerCase();
        const rows: string[][] = [];
        for (const { cluster, tables, operators } of await host.topology()) {
          if (!is(cluster.company, o.company)) continue;
          for (const t of tables) {
            if (!is(t.dbms, o.dbms) || !is(t.name, o.table)) continue;
            operators.forEach((op, i) => {
              const local = op.internal_ip ?? op.local_ip;
              rows.push([
                i === 0 ? valueText(cluster.company) : '',
                i === 0 ? t.dbms : '',
                i === 0 ? t.name : '',
                i === 0 ? valueText(cluster.id) : '',
                valueText(cluster.status ?? 'active'),
                valueText(op.name),
                valueText(op.member),
                `${valueText(op.ip)}:${valueText(op.port)}`,
                local !== undefined ? `${valueText(local)}:${valueText(op.port)}` : '',
                op.main === true ? '+' : ' -',
                valueText(op.status ?? 'active'),
              ]);
            });
          }
        }
        const columns = ['Company', 'DBMS', 'Table', 'Cluster ID', 'Cluster Status', 'Node Name', 'Member ID', 'External IP/Port', 'Local IP/Port', 'Main', 'Node Status'];
        return tableResult(columns, rows);
      },
    },
    {
      key: 'get cluster info',
      usage: 'get cluster info',
      help: "This node's cluster: its id, member id, the cluster's operators and the tables it supports.",
      keyOnly: true,
      run: async () => {
        const me = host.operator?.();
        const entry = me ? (await host.topology()).find((c) => c.cluster.id === me.cluster) : undefined;
        let out = `\r\nCluster ID  : ${me?.cluster || '0'}\r\nMember ID   : ${me?.member || '0'}\r\n`;
        if (entry) out += `Cluster Name: ${valueText(entry.cluster.name)}\r\nCluster Name: ${valueText(entry.cluster.company)}\r\n`;
        const ops = (entry?.operators ?? []).map((op) => [valueText(op.ip), valueText(op.port), valueText(op.member), valueText(op.status ?? 'active')]);
        out += `Participating Operators:${formatTable(['IP', 'Port', 'Member', 'Status'], ops, { linePrefix: '      ' })}`;
        const tables = (entry?.tables ?? []).map((t) => [valueText(entry!.cluster.company), t.dbms, t.name]);
        out += `\r\nTables Supported:${formatTable(['Company', 'DBMS', 'Table'], tables, { linePrefix: '      ' })}`;
        return text(out);
      },
    },
  ];
}

/**
 * A `set policy` value as EdgeLake's word_to_value_object reads it: `'text'` stays literal (quotes removed, no
 * reference resolved: `'!x.int'` waits for `config from policy`); `{...}` and `[...]` are JSON taken as written
 * (references inside stay, single quotes around list entries removed); `!x`, `!x.int`, `!x.bool`, `5.int` give
 * the value, numbers and booleans as JSON numbers and booleans; anything else is text.
 */
export function policyValue(token: { text: string; quoted: boolean }, dictionary: Dictionary): unknown {
  const t = token.text;
  if (token.quoted) return t;
  if (t.length > 1 && t.startsWith("'") && t.endsWith("'")) return t.slice(1, -1);
  if ((t.startsWith('{') && t.endsWith('}')) || (t.startsWith('[') && t.endsWith(']'))) {
    try {
      const parsed = JSON.parse(t) as unknown;
      if (Array.isArray(parsed)) return parsed.map((e) => (typeof e === 'string' && e.length > 2 && e.startsWith("'") && e.endsWith("'") ? e.slice(1, -1) : e));
      return parsed;
    } catch {
      return t;
    }
  }
  return typedValue(t, dictionary);
}
