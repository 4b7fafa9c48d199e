// The metadata service (policies.md §4-5, commands.md §9.5-9.6): policies checked and inserted into the ledger
// (ledger.ts), the master's ledger table, the console's policy checks and topology. Its commands are in
// ledger-commands.ts (blockchain ...) and policy-commands.ts (create/set policy, get data nodes, get cluster info).
import { pyJsonDumps } from '../command/format/pyjson.js';
import type { Dictionary } from '../command/dictionary.js';
import type { CommandSpec } from '../command/types.js';
import { CommandError, Status, statusText } from '../core/status.js';
import type { PolicyCheck, PolicyEntry } from '../../../shared/types.js';
import { checkPolicy } from './checks.js';
import { bodyOf, Ledger, typeOf, type Policy, type PolicyBody } from './ledger.js';
import { readPolicyText, toPlain, withIdAndDate, type PyValue } from './policy-id.js';
import { valueText } from './query.js';
import { ledgerCommands } from './ledger-commands.js';
import type { MetadataHost } from './host.js';
import { policyCommands } from './policy-commands.js';
import { substituteJson } from './words.js';
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

const fail = (code: number, detail: string) => new CommandError(code, detail);

/** A ledger policy as the console lists it. */
export function policyEntry(p: Policy): PolicyEntry {
  const body = bodyOf(p);
  return { type: typeOf(p), id: valueText(body.id), name: valueText(body.name), ledger: valueText(body.ledger), policy: toPlain(p as unknown as PyValue) as PolicyEntry['policy'] };
}

export { substituteJson } from './words.js';

export class MetadataService implements NodeService, MetadataHost {
  readonly name = 'metadata';
  readonly ledger: Ledger;

  constructor(private readonly deps: MetadataDeps) {
    this.ledger = new Ledger(() => deps.dictionary.get('blockchain_file') ?? '');
  }

  now(): Date {
    return this.deps.now?.() ?? new Date();
  }

  /** Reads a policy given as `!var` or JSON text; EdgeLake's 87 with our reason when it is not one. */
  policyFrom(textOrVar: string): Policy {
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
  ledgerIssuesText(): string | undefined {
    const issues = this.ledger.issues();
    if (issues.length === 0) return undefined;
    const file = this.deps.dictionary.get('blockchain_file') ?? 'the ledger file';
    return `${file}: ${issues.length} line(s) are not policies and are not read (${issues.map((i) => `line ${i.line}: ${i.reason}`).join('; ')}); fix or remove them`;
  }

  /** The master's ledger table, when this node keeps one (`create table ledger where dbms = blockchain`). */
  async ledgerTable(): Promise<DbmsAdapter | undefined> {
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
  async tableInsert(policy: Policy, host: string): Promise<boolean> {
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

  get dictionary(): Dictionary {
    return this.deps.dictionary;
  }

  operator(): { cluster: string; member: string } | undefined {
    return this.deps.operator?.();
  }

  get sendToPeer(): ((destination: string, command: string) => Promise<void>) | undefined {
    return this.deps.sendToPeer;
  }

  commands(): CommandSpec[] {
    return [...ledgerCommands(this), ...policyCommands(this)];
  }
}
