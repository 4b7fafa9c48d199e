// The node's databases: logical dbms names mapped to SQLite files (default) or PostgreSQL databases, and the
// commands over them (commands.md §9.2): connect/disconnect dbms, get databases, get tables, get columns,
// info table, sql, create table tsd_info. Other services (the operator) ask this registry for a connection.
import { join } from 'node:path';
import { tableResult as table } from '../command/results.js';
import type { CommandResult, CommandSpec } from '../command/types.js';
import { parseWhere } from '../command/where.js';
import type { Dictionary } from '../command/dictionary.js';
import { CommandError, Status } from '../core/status.js';
import type { DbmsAdapter } from './adapter.js';
import { PsqlAdapter } from './psql.js';
import { isAggregateQuery, queryJson, queryTable } from './query-output.js';
import { SqliteAdapter } from './sqlite.js';
import { createLedgerTable, createTsdInfo } from './tsd-schema.js';
import { ddlStatements } from './ddl.js';
import { sqlName } from './sql-names.js';
import { pyJsonDumps } from '../command/format/pyjson.js';

import { rewriteForPartitions } from './partition-query.js';
import { PartitionDeclarations, partitionRange, partitionsOf } from './partitions.js';
import type { NodeService } from '../command/service.js';

/** Names EdgeLake reserves for the node's own data (get databases shows them as owner `system`). */
const SYSTEM_DBMS = new Set(['almgm', 'blockchain', 'system_query']);

const text = (t: string): CommandResult => ({ code: 0, output: { kind: 'text', text: t } });
const fail = (code: number, detail: string) => new CommandError(code, detail);

export interface DatabasesDeps {
  dictionary: Dictionary;
  /** The `create` text of the ledger's `table` policy for dbms.table (create table). */
  tablePolicyDdl?(dbms: string, table: string): Promise<string | undefined>;
}

export class Databases implements NodeService {
  readonly name = 'dbms';
  private readonly open = new Map<string, DbmsAdapter>();
  /** Time partition declarations (`partition ...`), used by the operator, `sql` and the partition commands. */
  readonly partitions = new PartitionDeclarations();

  constructor(private readonly deps: DatabasesDeps) {}

  /** The connection of a logical dbms, or a CommandError (code 5) naming it. */
  get(name: string): DbmsAdapter {
    const db = this.open.get(name.toLowerCase());
    if (!db) throw fail(Status.DBMS_NAME, `DBMS '${name}' is not connected (connect dbms ${name} where type = sqlite)`);
    return db;
  }

  has(name: string): boolean {
    return this.open.has(name.toLowerCase());
  }

  /** `info table D T partitions [first|last|count|dates]`, shaped as EdgeLake prints it. */
  private async partitionInfo(dbms: string, table: string, detail: string): Promise<CommandResult> {
    const rule = this.partitions.ruleFor(dbms, table);
    if (!rule) throw fail(Status.NO_PARTITION_DECLARATION, `Missing 'partition' declaration for table '${dbms}.${table}'`);
    if (!['all', 'first', 'last', 'count', 'dates'].includes(detail)) throw fail(Status.COMMAND_STRUCT, `info table ... partitions ${detail}: use first, last, count or dates`);
    const names = partitionsOf(await this.get(dbms).tables(), table, rule);
    if (detail === 'count') return text(String(names.length));
    if (names.length === 0) throw fail(Status.NO_METADATA_INFO, `No partitions found on dbms '${dbms}' and table '${table}'`);
    if (detail === 'first') return text(names[0]!);
    if (detail === 'last') return text(names[names.length - 1]!);
    const list = names.map((n) => (detail === 'dates' ? { par_name: n, start_date: partitionRange(table, rule, n)[0], end_date: partitionRange(table, rule, n)[1] } : { par_name: n }));
    // EdgeLake prints Python's str() of the structure with " for ' through its row printer (no final newline).
    return { code: 0, output: { kind: 'row', text: pyJsonDumps({ [`Partitions.${dbms}.${table}`]: list }) } };
  }

  names(): string[] {
    return [...this.open.keys()];
  }

  async connect(name: string, options: { type: string; user?: string; password?: string; ip?: string; port?: number; memory?: boolean }): Promise<DbmsAdapter> {
    const key = name.toLowerCase();
    if (!/^[a-z_][a-z0-9_]*$/.test(key)) throw fail(Status.COMMAND_STRUCT, `'${name}' is not a valid dbms name (letters, digits and '_')`);
    const open = this.open.get(key);
    if (open) {
      // EdgeLake answers success when the same logical database is connected again to the same engine (the
      // deployment scripts connect almgm twice), and an error when it is connected to another engine.
      if (open.engine === options.type) return open;
      throw fail(Status.PROCESS_FAILURE, `DBMS '${key}' is already connected to ${open.engine} (disconnect dbms ${key} first to use ${options.type})`);
    }
    let db: DbmsAdapter;
    if (options.type === 'sqlite') {
      const dir = this.deps.dictionary.get('dbms_dir');
      if (!options.memory && !dir) throw fail(Status.DIR_DOES_NOT_EXIST, 'the dictionary has no dbms_dir for SQLite files');
      try {
        db = new SqliteAdapter(options.memory ? 'memory' : join(dir!, `${key}.dbms`));
      } catch (err) {
        throw fail(Status.DBMS_NOT_OPENED, `Database connect error: ${key} using sqlite failed to connect: ${(err as Error).message}`);
      }
    } else if (options.type === 'psql') {
      const host = options.ip ?? '127.0.0.1';
      const port = options.port ?? 5432;
      try {
        db = await PsqlAdapter.connect({ database: key, host, port, user: options.user ?? 'postgres', password: options.password });
      } catch (err) {
        throw fail(Status.DBMS_NOT_OPENED, `Database connect error: ${key} using psql at ${host}:${port} failed to connect: ${(err as Error).message}`);
      }
    } else {
      throw fail(Status.COMMAND_STRUCT, `Unknown database type '${options.type}' (sqlite or psql)`);
    }
    this.open.set(key, db);
    return db;
  }

  async disconnect(name: string): Promise<void> {
    const db = this.get(name);
    this.open.delete(name.toLowerCase());
    await db.close();
  }

  /** Closes every connection (node stop). */
  async stop(): Promise<void> {
    const all = [...this.open.values()];
    this.open.clear();
    await Promise.all(all.map((db) => db.close().catch(() => undefined)));
  }

  commands(): CommandSpec[] {
    const dictionary = this.deps.dictionary;
    const FORMAT = { format: { type: 'format', default: 'table' } } as const;
    return [
      {
        key: 'connect dbms',
        usage:
          'connect dbms [db name] where type = [db type] and user = [db user] and password = [db passwd] and ip = [db ip] and port = [db port] and memory = [true/false] and connection = [db string] and autocommit = [true/false] and unlog = [true/false]',
        help: "Connects a logical database: type = sqlite (a file under !dbms_dir, or memory = true) or psql (a PostgreSQL server).\nThe seed form 'connect dbms psql user@ip:password port name' is accepted too.",
        raw: true,
        run: async (_ctx, inv) => {
          const words = inv.tokens.map((t) => t.text);
          const whereAt = words.indexOf('where');
          if (whereAt === 1) {
            const o = parseWhere(inv.tokens.slice(2), {
              type: { type: 'str', required: true },
              user: { type: 'str' },
              password: { type: 'str' },
              ip: { type: 'str' },
              port: { type: 'int' },
              memory: { type: 'bool', default: false },
              connection: { type: 'str' },
              autocommit: { type: 'bool' },
              unlog: { type: 'bool' },
            }, dictionary);
            const name = dictionary.resolve(words[0]!) ?? words[0]!;
            await this.connect(name, o as never);
            return text(`Database ${name.toLowerCase()} using ${String(o.type)} connected!`);
          }
          // Seed form (older AnyLog): connect dbms <type> <user>@<ip>:<password> <port> <name>.
          const args = inv.tokens.map((t) => dictionary.resolve(t.text) ?? t.text);
          const m = args.length === 4 ? /^([^@]+)@([^:]+):(.*)$/.exec(args[1]!) : null;
          if (!m || !/^\d+$/.test(args[2]!)) {
            throw fail(Status.COMMAND_STRUCT, "usage: connect dbms <name> where type = sqlite|psql [and user = .. and password = .. and ip = .. and port = ..]");
          }
          await this.connect(args[3]!, { type: args[0]!, user: m[1]!, ip: m[2]!, password: m[3]!, port: Number(args[2]) });
          return text(`Database ${args[3]!.toLowerCase()} using ${args[0]} connected!`);
        },
      },
      {
        key: 'disconnect dbms',
        usage: 'disconnect dbms [dbms name]',
        help: 'Closes the connection of a logical database.',
        minArgs: 1,
        maxArgs: 1,
        run: async (_ctx, inv) => {
          await this.disconnect(inv.args[0]!);
          return { code: 0 };
        },
      },
      {
        key: 'get databases',
        usage: 'get databases where format = [table/json]',
        help: 'Lists the connected databases: logical name, engine, owner, address, configuration and storage.',
        maxArgs: 0,
        where: FORMAT,
        run: (_ctx, inv) => {
          const rows = [...this.open.entries()].map(([name, db]) => [name, db.engine, SYSTEM_DBMS.has(name) ? 'system' : 'user', db.ipPort, db.configuration, db.storage]);
          if (rows.length === 0 && inv.format !== 'json') return text('No DBMS connections found');
          const json = Object.fromEntries(rows.map(([n, t, o, ip, c, s]) => [n, { type: t, owner: o, ip_port: ip, configuration: c, storage: s }]));
          return table(['Logical DBMS', 'Database Type', 'Owner', 'IP:Port', 'Configuration', 'Storage'], rows, { header: 'Active DBMS Connections', json });
        },
      },
      {
        key: 'get tables',
        usage: 'get tables where dbms = [dbms name] and format = [table/json]',
        help: "Lists the tables of a database ('*' for all connected ones).",
        maxArgs: 0,
        where: { dbms: { type: 'str', required: true }, ...FORMAT },
        run: async (_ctx, inv) => {
          const dbmsName = String(inv.options.dbms);
          const names = dbmsName === '*' ? this.names() : [this.get(dbmsName) && dbmsName.toLowerCase()];
          const rows: string[][] = [];
          const json: Record<string, string[]> = {};
          for (const name of names) {
            const tables = await this.get(name).tables();
            json[name] = tables;
            // The Blockchain column says whether a `table` policy in the ledger declares the table.
            for (const [i, t] of tables.entries()) {
              const declared = (await this.deps.tablePolicyDdl?.(name, t)) !== undefined;
              rows.push([i === 0 ? name : '', t, ' V', declared ? ' V' : ' -']);
            }
          }
          return table(['Database', 'Table name', 'Local DBMS', 'Blockchain'], rows, { json });
        },
      },
      {
        key: 'drop table',
        usage: 'drop table [table name] where dbms = [dbms name]',
        help: 'Drops a table of a connected database (its partitions stay: drop them with drop partition).',
        minArgs: 1,
        maxArgs: 1,
        where: { dbms: { type: 'str', required: true } },
        run: async (_ctx, inv) => {
          const dbms = String(inv.options.dbms).toLowerCase();
          const name = inv.args[0]!.toLowerCase();
          const db = this.get(dbms);
          if (!(await db.tables()).includes(name)) throw fail(Status.DBMS_NAME, `Table '${name}' does not exist in dbms '${dbms}'`);
          await db.run(`DROP TABLE ${sqlName(name)}`);
          return { code: 0 };
        },
      },
      {
        key: 'get rows count',
        usage: 'get rows count where dbms = [dbms name] and table = [table name] and group = [true/false] and format = [table/json]',
        help: "The rows of each table of a database (a partitioned table's rows per partition).",
        maxArgs: 0,
        where: { dbms: { type: 'str', required: true }, table: { type: 'str' }, ...FORMAT },
        run: async (_ctx, inv) => {
          const dbms = String(inv.options.dbms).toLowerCase();
          const db = this.get(dbms);
          const tables = await db.tables();
          const wanted = inv.options.table === undefined ? undefined : String(inv.options.table).toLowerCase();
          let names: string[];
          if (wanted === undefined) names = [...tables].sort();
          else {
            const partitions = partitionsOf(tables, wanted);
            names = partitions.length > 0 ? partitions : tables.includes(wanted) ? [wanted] : [];
            if (names.length === 0) throw fail(Status.DBMS_NAME, `Table '${wanted}' does not exist in dbms '${dbms}'`);
          }
          const rows: [string, string, number][] = [];
          for (const [i, name] of names.entries()) {
            const r = await db.query(`SELECT COUNT(*) FROM ${sqlName(name)}`);
            rows.push([i === 0 ? dbms : '', name, Number(r.rows[0]?.[0] ?? 0)]);
          }
          return table(['DBMS Name', 'Table Name', 'Rows Count'], rows, { json: rows.map(([, t, n]) => ({ dbms, table: t, rows: n })) });
        },
      },
      {
        key: 'get columns',
        usage: 'get columns where dbms = [dbms name] and table = [table name] and format = [table/json]',
        help: 'Lists the columns of a table with their types.',
        maxArgs: 0,
        where: { dbms: { type: 'str', required: true }, table: { type: 'str', required: true }, ...FORMAT },
        run: async (_ctx, inv) => {
          const [dbms, name] = [String(inv.options.dbms).toLowerCase(), String(inv.options.table).toLowerCase()];
          const columns = await this.get(dbms).columns(name);
          if (columns.length === 0) throw fail(Status.DBMS_NAME, `Table '${name}' does not exist in dbms '${dbms}'`);
          return table(['Column Name', 'Column Type'], columns.map((c) => [c.name, c.type]), { header: `Schema for DBMS: '${dbms}' and Table: '${name}'`, json: Object.fromEntries(columns.map((c) => [c.name, c.type])) });
        },
      },
      {
        key: 'info table',
        usage: 'info table [db name] [table name] [info type]',
        help: "Information on a table: 'columns' (as JSON), 'exists' (true/false), 'partitions [first|last|count|dates]'.",
        minArgs: 3,
        maxArgs: 4,
        run: async (_ctx, inv) => {
          const [dbms, table, what, detail] = inv.args.map((a) => a.toLowerCase()) as [string, string, string, string | undefined];
          const db = this.get(dbms);
          if (detail !== undefined && what !== 'partitions') throw fail(Status.COMMAND_STRUCT, `info table ... ${what} takes no further word ('${detail}')`);
          if (what === 'exists') return text((await db.tables()).includes(table) ? 'true' : 'false');
          if (what === 'columns') return { code: 0, output: { kind: 'json', value: Object.fromEntries((await db.columns(table)).map((c) => [c.name, c.type])) } };
          if (what === 'partitions') return this.partitionInfo(dbms, table, detail ?? 'all');
          throw fail(Status.COMMAND_STRUCT, `Type of info not recognized: '${what}' (columns, exists or partitions)`);
        },
      },
      {
        key: 'create table',
        usage: 'create table [table name] where dbms = [dbms_name]',
        help: "Creates a table: tsd_info (where dbms = almgm), the master's ledger (where dbms = blockchain), or a table declared by a 'table' policy.",
        minArgs: 1,
        maxArgs: 1,
        where: { dbms: { type: 'str', required: true } },
        run: async (_ctx, inv) => {
          const [table, dbms] = [inv.args[0]!.toLowerCase(), String(inv.options.dbms).toLowerCase()];
          const db = this.get(dbms);
          if (table === 'tsd_info') await createTsdInfo(db);
          else if (table === 'ledger' && dbms === 'blockchain') await createLedgerTable(db);
          else {
            // Any other table is created from its `table` policy in the ledger (EdgeLake's rule).
            const ddl = await this.deps.tablePolicyDdl?.(dbms, table);
            if (!ddl) throw fail(Status.NO_METADATA_INFO, `create table '${table}': no 'table' policy for ${dbms}.${table} in the ledger (blockchain get table where dbms = ${dbms} and name = ${table})`);
            if ((await db.tables()).includes(table)) return { code: 0 };
            const statements = ddlStatements(db.engine, ddl);
            await db.transaction(async (tx) => {
              for (const statement of statements) await tx.run(statement);
            });
          }
          return { code: 0 };
        },
      },
      {
        key: 'create internal table',
        usage: 'create internal table almgm',
        help: "Seed form of 'create table tsd_info where dbms = almgm'.",
        minArgs: 1,
        maxArgs: 1,
        run: async (_ctx, inv) => {
          if (inv.args[0] !== 'almgm') throw fail(Status.COMMAND_STRUCT, `create internal table: only 'almgm' exists, not '${inv.args[0]}'`);
          await createTsdInfo(this.get('almgm'));
          return { code: 0 };
        },
      },
      {
        key: 'sql',
        usage: 'sql [dbms name] [query options] [select statement]',
        help: 'Runs a SQL statement on a local database. Options before the statement: format = json|table, stat = true|false.',
        raw: true,
        run: async (_ctx, inv) => {
          const [dbmsToken, ...rest] = inv.tokens;
          const statementToken = rest[rest.length - 1];
          if (!dbmsToken || !statementToken) throw fail(Status.COMMAND_STRUCT, 'usage: sql <dbms> [format = json|table] "<statement>"');
          const options = parseWhere(
            rest.slice(0, -1),
            { format: { type: 'format', default: 'json' }, stat: { type: 'bool', default: true }, timezone: { type: 'str' }, include: { type: 'str', repeat: true }, extend: { type: 'str', repeat: true }, drop: { type: 'bool' }, dest: { type: 'str', repeat: true }, test: { type: 'bool' }, title: { type: 'str' } },
            dictionary,
          );
          const db = this.get(dictionary.resolve(dbmsToken.text) ?? dbmsToken.text);
          const sql = statementToken.text.trim().replace(/;$/, '');
          const started = Date.now();
          try {
            if (!/^(select|with|pragma|explain)\b/i.test(sql)) {
              await db.run(sql);
              return { code: 0 };
            }
            const result = await db.query(rewriteForPartitions(sql, await db.tables()));
            const ms = Date.now() - started;
            const body = options.format === 'table' ? queryTable(result, ms, options.stat as boolean) : queryJson(result, ms, options.stat as boolean, isAggregateQuery(sql));
            return text(body);
          } catch (err) {
            if (err instanceof CommandError) throw err;
            throw fail(Status.SQL_FAILURE, `${(err as Error).message} in: ${sql}`);
          }
        },
      },
    ];
  }
}
