// The metadata layer's commands (policies.md §4-5, commands.md §9.5-9.6): blockchain prepare/insert/add/get/read/
// delete/test/load, create policy, set policy, get data nodes, get cluster info. The ledger is ledger.ts.
import { formatTable } from '../command/format/table.js';
import { pyJsonDumps } from '../command/format/pyjson.js';
import type { Dictionary } from '../command/dictionary.js';
import type { Token } from '../command/tokenizer.js';
import type { CommandResult, CommandSpec } from '../command/types.js';
import { CommandError, Status, statusText } from '../core/status.js';
import type { PolicyCheck, PolicyEntry } from '../../../shared/types.js';
import { checkPolicy } from './checks.js';
import { bodyOf, Ledger, typeOf, type Policy, type PolicyBody } from './ledger.js';
import { parsePyJson, PyFloat, readPolicyText, toPlain, withIdAndDate, type PyValue } from './policy-id.js';
import { bring, parseBring, selectPolicies, valueText } from './query.js';
import type { DbmsAdapter } from '../dbms/adapter.js';
import type { NodeService } from '../command/service.js';

export interface MetadataDeps {
  dictionary: Dictionary;
  /** Sends a command to a peer (a policy pushed to a master); rejects naming the reason when it cannot. */
  sendToPeer?(destination: string, command: string): Promise<void>;
  /** A connected database (the master keeps the ledger in `blockchain.ledger`); throws when not connected. */
  database?(name: string): DbmsAdapter;
  /** This node's operator while it runs: its cluster and member (get cluster info). */
  operator?(): { cluster: string; member: string } | undefined;
  now?(): Date;
  random?(): number;
}

const text = (t: string): CommandResult => ({ code: 0, output: { kind: 'text', text: t } });
const fail = (code: number, detail: string) => new CommandError(code, detail);

/** `with defaults` ports per type (policies.md §1). */
const DEFAULT_PORTS: Record<string, [number, number]> = { master: [32048, 32049], operator: [32148, 32149], query: [32348, 32349], publisher: [32248, 32249] };

/** `k = v and k = v ...` as ordered pairs (values resolved; `"..."` kept as text). */
function pairs(tokens: readonly Token[], dictionary: Dictionary, what: string): [string, string][] {
  const out: [string, string][] = [];
  for (let i = 0; i < tokens.length; i += 4) {
    const [k, eq, v, join] = [tokens[i], tokens[i + 1], tokens[i + 2], tokens[i + 3]];
    if (!k || eq?.text !== '=' || !v || (join && join.text !== 'and')) {
      throw fail(Status.COMMAND_STRUCT, `${what}: expected 'key = value [and key = value]...' at position ${(k ?? tokens[tokens.length - 1])?.pos ?? 0}`);
    }
    out.push([k.text, v.quoted ? v.text : (dictionary.resolve(v.text) ?? v.text)]);
  }
  return out;
}

/** A ledger policy as the console lists it. */
export function policyEntry(p: Policy): PolicyEntry {
  const body = bodyOf(p);
  return { type: typeOf(p), id: valueText(body.id), name: valueText(body.name), ledger: valueText(body.ledger), policy: toPlain(p as unknown as PyValue) as PolicyEntry['policy'] };
}

/**
 * Dictionary references inside JSON text (policies.md §3 step 1): `!x` outside strings becomes its value (numbers,
 * true/false/null and JSON structures as they are, other text quoted); a string that is exactly "!x" too.
 */
export function substituteJson(text: string, dictionary: Dictionary): string {
  const literal = (v: string) => (/^(-?\d+(\.\d+)?([eE][+-]?\d+)?|true|false|null)$/.test(v.trim()) || /^\s*[{[]/.test(v) ? v : JSON.stringify(v));
  return text.replace(/"(?:[^"\\]|\\.)*"|![A-Za-z_][\w.]*/g, (m) => {
    if (m.startsWith('"')) {
      const inner = /^"(![A-Za-z_][\w.]*)"$/.exec(m)?.[1];
      const v = inner ? dictionary.resolve(inner) : undefined;
      return v === undefined ? m : JSON.stringify(v);
    }
    const v = dictionary.resolve(m);
    return v === undefined ? m : literal(v);
  });
}

export class MetadataService implements NodeService {
  readonly name = 'metadata';
  readonly ledger: Ledger;

  constructor(private readonly deps: MetadataDeps) {
    this.ledger = new Ledger(() => deps.dictionary.get('blockchain_file') ?? '');
  }

  private now(): Date {
    return this.deps.now?.() ?? new Date();
  }

  /** Reads a policy given as `!var` or JSON text; EdgeLake's 87 with our reason when it is not one. */
  private policyFrom(textOrVar: string): Policy {
    const raw = textOrVar.startsWith('!') ? this.deps.dictionary.resolve(textOrVar) : textOrVar;
    if (raw === undefined) throw fail(Status.WRONG_POLICY_STRUCTURE, `${textOrVar} is not set`);
    try {
      return readPolicyText(substituteJson(raw, this.deps.dictionary));
    } catch (err) {
      throw fail(Status.WRONG_POLICY_STRUCTURE, `Wrong policy structure: ${(err as Error).message}`);
    }
  }

  /** The policy as a local insert would store it (id, date, checks, member id, `ledger: local`), or the refusal. */
  async prepareInsert(policy: Policy): Promise<Policy> {
    const all = await this.ledger.all();
    const checked = checkPolicy(withIdAndDate(policy, this.now()), all, this.deps.random);
    const body = bodyOf(checked);
    if (all.some((p) => bodyOf(p).id === body.id)) throw fail(Status.DUPLICATE_OBJECT_ID, `Duplicate blockchain object id: ${String(body.id)} is already in the ledger`);
    return { [typeOf(checked)]: { ...body, ledger: 'local' } };
  }

  /** Inserts a policy into the local ledger (checks, member id, `ledger: local`); returns it as stored. */
  async insert(policy: Policy): Promise<Policy> {
    const stored = await this.prepareInsert(policy);
    await this.ledger.append(stored);
    await this.tableInsert(stored, 'local').catch((err: Error) => {
      throw fail(Status.SQL_FAILURE, `The policy is in the ledger file but not in blockchain.ledger: ${err.message}`);
    });
    return stored;
  }

  /** The lines of the ledger file that are not policies, as a sentence, or undefined when there are none. */
  private ledgerIssuesText(): string | undefined {
    const issues = this.ledger.issues();
    if (issues.length === 0) return undefined;
    const file = this.deps.dictionary.get('blockchain_file') ?? 'the ledger file';
    return `${file}: ${issues.length} line(s) are not policies and are not read (${issues.map((i) => `line ${i.line}: ${i.reason}`).join('; ')}); fix or remove them`;
  }

  /** The master's ledger table, when this node keeps one (`create table ledger where dbms = blockchain`). */
  private async ledgerTable(): Promise<DbmsAdapter | undefined> {
    let db: DbmsAdapter;
    try {
      db = this.deps.database!('blockchain');
    } catch {
      return undefined;
    }
    return (await db.tables()).includes('ledger') ? db : undefined;
  }

  /** The master's table as ledger text (one json.dumps line per policy, in order), or undefined without a table. */
  async tableText(): Promise<string | undefined> {
    const db = this.deps.database ? await this.ledgerTable() : undefined;
    if (!db) return undefined;
    const rows = await db.query('select policy from ledger order by sequence_id');
    return rows.rows.map((r) => `${String(r[0])}\n`).join('');
  }

  /** `run blockchain sync ... dest = dbms`: the pulled policies go into blockchain.ledger too (new ids only). */
  async mirrorToTable(policies: Policy[]): Promise<void> {
    for (const p of policies) await this.tableInsert(p, valueText(bodyOf(p).ip) || 'local');
  }

  /** Adds a policy to blockchain.ledger (as a master stores what nodes push); false when the id is there. */
  private async tableInsert(policy: Policy, host: string): Promise<boolean> {
    const db = this.deps.database ? await this.ledgerTable() : undefined;
    if (!db) return false;
    const body = bodyOf(policy);
    if ((await db.query('select 1 from ledger where policy_id = ?', [String(body.id)])).rows.length > 0) return false;
    const global: Policy = { [typeOf(policy)]: { ...body, ledger: 'global' } };
    await db.run('insert into ledger (policy_type, policy_id, company_name, date, host, status, policy) values (?, ?, ?, ?, ?, ?, ?)', [
      typeOf(policy),
      String(body.id),
      body.company === undefined ? null : valueText(body.company),
      valueText(body.date),
      host === 'local' ? (this.deps.dictionary.get('ip') ?? '127.0.0.1') : host,
      body.status === undefined ? null : valueText(body.status),
      pyJsonDumps(global),
    ]);
    return true;
  }

  /** For the console: checks (and with `insert`, inserts) policy text; never throws for a bad policy. */
  async check(textOfPolicy: string, insert: boolean): Promise<PolicyCheck> {
    const all = await this.ledger.all();
    let policy: Policy;
    try {
      policy = this.policyFrom(textOfPolicy);
    } catch (err) {
      const e = err as CommandError;
      return { ok: false, error: { code: e.code, text: statusText(e.code), detail: e.detail ?? e.message }, references: [] };
    }
    const body = bodyOf(policy);
    const references = (['cluster', 'parent'] as const)
      .filter((key) => typeof body[key] === 'string' && (key === 'parent' || typeOf(policy) === 'operator'))
      .map((key) => ({ key, id: String(body[key]), found: all.some((p) => typeOf(p) === 'cluster' && bodyOf(p).id === body[key]) }));
    const candidate = withIdAndDate(policy, this.now());
    const id = bodyOf(candidate).id;
    const same = all.find((p) => bodyOf(p).id === id);
    const existing = same ? policyEntry(same) : undefined;
    try {
      const stored = insert ? await this.insert(policy) : await this.prepareInsert(policy);
      return { ok: true, policy: toPlain(stored as unknown as PyValue) as PolicyCheck['policy'], existing, references };
    } catch (err) {
      if (!(err instanceof CommandError)) throw err;
      // The policy as it was read (with its id) still shows, so the console can diff it against the ledger's.
      return { ok: false, policy: toPlain(candidate as unknown as PyValue) as PolicyCheck['policy'], error: { code: err.code, text: statusText(err.code), detail: err.detail ?? err.message }, existing, references };
    }
  }

  /**
   * What an operator publishes when it creates a table (operator.md §5.3): a `table` policy with the generic DDL
   * and a child cluster policy listing the table, unless the ledger already has them (EdgeLake tries again and its
   * file fails with 70 when another member registered the table first). Returns the policies added.
   */
  async registerTable(dbms: string, table: string, ddl: string, operator: { cluster: string; ip: string; port: string }): Promise<Policy[]> {
    const added: Policy[] = [];
    const all = await this.ledger.all();
    const has = (type: string, test: (b: PolicyBody) => boolean) => all.some((p) => typeOf(p) === type && test(bodyOf(p)));
    if (!has('table', (b) => b.dbms === dbms && b.name === table)) {
      added.push(await this.insert({ table: { name: table, dbms, create: ddl, source: 'Processing JSON file' } }));
    }
    const root = all.find((p) => typeOf(p) === 'cluster' && bodyOf(p).id === operator.cluster);
    const listed = (b: PolicyBody) => (b.id === operator.cluster || b.parent === operator.cluster) && Array.isArray(b.table) && b.table.some((t) => (t as PolicyBody).dbms === dbms && (t as PolicyBody).name === table);
    if (root && !has('cluster', listed)) {
      const { name, company } = bodyOf(root);
      added.push(await this.insert({ cluster: { parent: operator.cluster, name: name ?? '', company: company ?? '', table: [{ dbms, name: table }], source: `Node at ${operator.ip}:${operator.port}` } }));
    }
    return added;
  }

  async remove(id: string): Promise<void> {
    const table = this.deps.database ? await this.ledgerTable() : undefined;
    const fromTable = table ? await table.run('delete from ledger where policy_id = ?', [id]) : 0;
    if ((await this.ledger.remove(id)) === 0 && fromTable === 0) throw fail(Status.POLICY_NOT_AVAILABLE, `No policy with id '${id}' in the ledger`);
  }

  /** Clusters with their operators and tables (get data nodes, the console's topology). */
  async topology(): Promise<{ cluster: PolicyBody; tables: { dbms: string; name: string }[]; operators: PolicyBody[] }[]> {
    const all = await this.ledger.all();
    const clusters = all.filter((p) => typeOf(p) === 'cluster' && bodyOf(p).parent === undefined).map(bodyOf);
    return clusters.map((cluster) => {
      const family = all.filter((p) => typeOf(p) === 'cluster' && (bodyOf(p).id === cluster.id || bodyOf(p).parent === cluster.id)).map(bodyOf);
      const tables: { dbms: string; name: string }[] = [];
      for (const c of family) {
        for (const t of Array.isArray(c.table) ? c.table : []) {
          const entry = t as PolicyBody;
          if (typeof entry.dbms === 'string' && typeof entry.name === 'string' && !tables.some((x) => x.dbms === entry.dbms && x.name === entry.name)) tables.push({ dbms: entry.dbms, name: entry.name });
        }
      }
      const operators = all.filter((p) => typeOf(p) === 'operator' && bodyOf(p).cluster === cluster.id).map(bodyOf);
      return { cluster, tables, operators };
    });
  }

  /** The ledger holds no open resource between calls (each read and write opens and closes its file). */
  async stop(): Promise<void> {}

  commands(): CommandSpec[] {
    const dictionary = this.deps.dictionary;
    const getOrRead = (key: 'blockchain get' | 'blockchain read'): CommandSpec => ({
      key,
      usage: `${key} [policy type] [where [attribute name value pairs]] [bring.[modifier] [keys]]`,
      help: "Policies of a type ('*' all, '(a, b)' several), filtered by 'where key = value and ...' or a condition on [keys], and values pulled with 'bring' (first, recent, unique, json, table, count, ip_port, min, max).",
      raw: true,
      run: async (_ctx, inv) => {
        const tokens = inv.tokens;
        const selector = tokens[0];
        if (!selector) throw fail(Status.COMMAND_STRUCT, `${key}: name a policy type, '*' or '(type1, type2)'`);
        const bringAt = tokens.findIndex((t) => !t.quoted && /^bring(\.|$)/.test(t.text));
        const whereTokens = tokens.slice(1, bringAt < 0 ? undefined : bringAt);
        if (whereTokens.length > 0 && whereTokens[0]!.text !== 'where') throw fail(Status.COMMAND_STRUCT, `${key}: expected 'where' or 'bring' after '${selector.text}', found '${whereTokens[0]!.text}' at position ${whereTokens[0]!.pos}`);
        if (key === 'blockchain read') await this.ledger.load();
        const all = await this.ledger.all();
        const selected = selectPolicies(all, selector.text, whereTokens.slice(1), dictionary);
        if (bringAt < 0) return { code: 0, output: { kind: 'json', value: selected.map((p) => toPlain(p as unknown as PyValue)) } };
        const out = bring(selected, parseBring(tokens.slice(bringAt)), all, dictionary);
        return 'json' in out ? { code: 0, output: { kind: 'json', value: out.json } } : text(out.text);
      },
    });
    return [
      getOrRead('blockchain get'),
      getOrRead('blockchain read'),
      {
        key: 'blockchain prepare policy',
        usage: 'blockchain prepare policy [policy]',
        help: 'Adds the id and date to the policy held in a variable (as EdgeLake computes them).',
        raw: true,
        run: (_ctx, inv) => {
          const name = inv.tokens[0]?.text;
          if (!name?.startsWith('!') || inv.tokens.length !== 1) throw fail(Status.COMMAND_STRUCT, 'usage: blockchain prepare policy !<variable>');
          const prepared = withIdAndDate(this.policyFrom(name), this.now());
          dictionary.set(name.slice(1), pyJsonDumps(prepared));
          return { code: 0 };
        },
      },
      {
        key: 'blockchain insert',
        usage: 'blockchain insert where policy = [policy] and local = [true/false] and master = [IP:Port] and blockchain = [platform]',
        help: 'Adds a policy to the local ledger (after its checks) and sends it to the master.',
        maxArgs: 0,
        where: { policy: { type: 'str', required: true }, local: { type: 'bool' }, master: { type: 'ip.port', repeat: true }, blockchain: { type: 'str', repeat: true } },
        run: async (_ctx, inv) => {
          const o = inv.options as { policy: string; local?: boolean; master?: string[]; blockchain?: string[] };
          if (o.local === undefined && !o.master?.length && !o.blockchain?.length) {
            throw fail(Status.COMMAND_STRUCT, 'Missing ledger location information: add local = true and/or master = ip:port');
          }
          const policy = this.policyFrom(o.policy);
          const stored = o.local === false ? await this.prepareInsert(policy) : await this.insert(policy);
          // Then `blockchain push {policy with "ledger": "global"}` to each master (peer-protocol.md §6.7); the
          // master answers only when it refuses. A master that cannot be reached is a warning once the local ledger
          // has the policy (EdgeLake's rule), an error when it was the only destination.
          const problems: string[] = [];
          for (const master of o.master ?? []) {
            const global = { [typeOf(stored)]: { ...bodyOf(stored), ledger: 'global' } };
            try {
              if (!this.deps.sendToPeer) throw new Error('this node has no peer service');
              await this.deps.sendToPeer(master, `blockchain push ${pyJsonDumps(global)}`);
            } catch (err) {
              problems.push(`not sent to master ${master}: ${(err as Error).message}`);
            }
          }
          if (problems.length > 0 && o.local === false) throw fail(Status.NETWORK_CONNECTION_FAILED, problems.join('; '));
          // The policy is in; lines of the file that are not policies are said every time (EdgeLake stops reading
          // the file at such a line without a word).
          const unread = this.ledgerIssuesText();
          if (unread) problems.push(unread);
          return problems.length > 0 ? text(`Policy ${String(bodyOf(stored).id)} is in the local ledger; ${problems.join('; ')}`) : { code: 0 };
        },
      },
      {
        key: 'blockchain add',
        usage: 'blockchain add [policy]',
        help: 'Appends a policy to the local ledger file (no checks, no master).',
        raw: true,
        run: async (_ctx, inv) => {
          const policy = withIdAndDate(this.policyFrom(inv.tokens.map((t) => t.text).join(' ')), this.now());
          if ((await this.ledger.all()).some((p) => bodyOf(p).id === bodyOf(policy).id)) throw fail(Status.DUPLICATE_OBJECT_ID, `Duplicate blockchain object id: ${String(bodyOf(policy).id)}`);
          await this.ledger.append(policy);
          return { code: 0 };
        },
      },
      {
        key: 'blockchain push',
        usage: 'blockchain push [policy]',
        help: "Master side: stores a policy a node sends (run client) in the master's ledger table.",
        raw: true,
        run: async (_ctx, inv) => {
          const table = await this.ledgerTable();
          if (!table) throw fail(Status.BLOCKCHAIN_OPERATION_FAILED, "This node keeps no ledger table: connect dbms blockchain and create table ledger where dbms = blockchain");
          // `push ignore`: a duplicate is not an error (a node re-pushing its local policies after a merge).
          const ignore = inv.tokens[0]?.text === 'ignore';
          const policy = withIdAndDate(this.policyFrom(inv.tokens.slice(ignore ? 1 : 0).map((t) => t.text).join(' ')), this.now());
          if (!(await this.tableInsert(policy, 'local')) && !ignore) throw fail(Status.DUPLICATE_OBJECT_ID, `Duplicate blockchain object id: ${String(bodyOf(policy).id)}`);
          return { code: 0 };
        },
      },
      {
        key: 'blockchain drop policy',
        usage: 'blockchain drop policy where id = [policy id]',
        help: "Master side: removes a policy from the master's ledger table.",
        maxArgs: 0,
        where: { id: { type: 'str', required: true } },
        run: async (_ctx, inv) => {
          const table = await this.ledgerTable();
          if (!table) throw fail(Status.DBMS_NOT_OPENED, 'This node keeps no ledger table (create table ledger where dbms = blockchain)');
          if ((await table.run('delete from ledger where policy_id = ?', [String(inv.options.id)])) === 0) throw fail(Status.POLICY_NOT_AVAILABLE, `No policy with id '${String(inv.options.id)}' in blockchain.ledger`);
          return { code: 0 };
        },
      },
      {
        key: 'from',
        usage: 'from [JSON object or list] bring [keys]',
        help: 'Pulls values out of a JSON object or list of objects held in a variable: from !p bring [t][name] ":" [t][v]',
        raw: true,
        run: (_ctx, inv) => {
          const [source, ...rest] = inv.tokens;
          if (!source || !rest[0] || !/^bring(\.|$)/.test(rest[0].text)) throw fail(Status.COMMAND_STRUCT, 'usage: from !<variable> bring[.modifier] [key][key] ...');
          const raw = source.text.startsWith('!') ? dictionary.resolve(source.text) : source.text;
          let value: PyValue;
          try {
            value = parsePyJson(substituteJson(raw ?? '', dictionary));
          } catch (err) {
            throw fail(Status.WRONG_JSON, `from ${source.text}: not JSON (${(err as Error).message})`);
          }
          const list = (Array.isArray(value) ? value : [value]).filter((v): v is PolicyBody => v !== null && typeof v === 'object' && !Array.isArray(v) && !(v instanceof PyFloat)) as Policy[];
          const out = bring(list, parseBring(rest), list, dictionary);
          return 'json' in out ? { code: 0, output: { kind: 'json', value: out.json } } : text(out.text);
        },
      },
      {
        key: 'blockchain delete policy',
        usage: 'blockchain delete policy where id = [policy id] and local = [true/false] and master = [IP:Port]',
        help: 'Removes a policy from the local ledger.',
        maxArgs: 0,
        where: { id: { type: 'str', required: true }, local: { type: 'bool' }, master: { type: 'ip.port', repeat: true }, blockchain: { type: 'str', repeat: true } },
        run: async (_ctx, inv) => {
          const id = String(inv.options.id);
          if (inv.options.local !== false) await this.remove(id);
          const problems: string[] = [];
          for (const master of (inv.options.master as string[] | undefined) ?? []) {
            await this.deps.sendToPeer?.(master, `blockchain drop policy where id = ${id}`).catch((err: Error) => problems.push(`not sent to master ${master}: ${err.message}`));
          }
          return problems.length > 0 ? text(problems.join('; ')) : { code: 0 };
        },
      },
      {
        key: 'blockchain test',
        usage: 'blockchain test',
        help: 'Checks that the ledger file reads as policies.',
        keyOnly: true,
        run: async () => {
          await this.ledger.load();
          const issues = this.ledgerIssuesText();
          if (!issues) return text('Blockchain file status: OK');
          throw fail(Status.WRONG_POLICY_STRUCTURE, `Blockchain file status: ${issues}`);
        },
      },
      ...(['blockchain load metadata', 'blockchain reload metadata'] as const).map(
        (key): CommandSpec => ({
          key,
          usage: key,
          help: 'Re-reads the ledger file into memory.',
          keyOnly: true,
          run: async () => {
            await this.ledger.load();
            return { code: 0 };
          },
        }),
      ),
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
          for (const [path, raw] of pairs(tokens, dictionary, 'set policy')) {
            const keys = [...path.matchAll(/\[([^\]]*)\]/g)].map((m) => m[1]!.replace(/^['"]|['"]$/g, ''));
            if (keys.length === 0) throw fail(Status.COMMAND_STRUCT, `set policy: '${path}' is not [key] or [key][key]`);
            let holder = value;
            for (const k of keys.slice(0, -1)) {
              if (typeof holder[k] !== 'object' || holder[k] === null) holder[k] = {};
              holder = holder[k] as { [key: string]: unknown };
            }
            let v: unknown = raw;
            if (/^\s*[{[]/.test(raw)) {
              try {
                v = JSON.parse(raw) as unknown;
              } catch {
                v = raw;
              }
            }
            holder[keys[keys.length - 1]!] = v;
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
          for (const { cluster, tables, operators } of await this.topology()) {
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
          if (inv.format === 'json') return { code: 0, output: { kind: 'json', value: rows.map((r) => Object.fromEntries(columns.map((c, i) => [c, r[i]]))) } };
          return text(formatTable(columns, rows));
        },
      },
      {
        key: 'get cluster info',
        usage: 'get cluster info',
        help: "This node's cluster: its id, member id, the cluster's operators and the tables it supports.",
        keyOnly: true,
        run: async () => {
          const me = this.deps.operator?.();
          const entry = me ? (await this.topology()).find((c) => c.cluster.id === me.cluster) : undefined;
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
}
