// The operator's side of a distributed query (peer-protocol.md §6.5): `sql <dbms> [conditions] <SQL>` from a query
// node is answered with `job reply` result streams — rows as `{"Query":[{"0":"v0","1":"v1"}]}` segments (§5.3),
// one stream per partition of the table, each on its own connection to the query node — or with the error path (one
// block, info 4, the code and its text). `info table <dbms> <table> columns` answers the table's structure.
import { pyFloatRepr } from '../command/format/pyjson.js';
import type { DbmsAdapter } from '../dbms/adapter.js';
import { partitionsOf } from '../dbms/partitions.js';
import { rewriteForPartitions } from '../dbms/partition-query.js';
import { DATA_STRUCT, encodeBlock, INFO, PAYLOAD_CAPACITY, packSegments, type Block, type BlockHeader } from '../peer/codec.js';
import type { PeerService } from '../peer/service.js';
import type { IncomingMessage } from '../peer/transport.js';
import type { CommandSpec } from '../command/types.js';
import type { NodeService } from '../command/service.js';
import type { ProcessRegistry } from '../core/processes.js';
import { WorkersPool } from '../rest/pool.js';

export const EMPTY_DATA_SET = 1006;
const COMMAND = 'job reply';

export interface OperatorQueryDeps {
  peer: PeerService;
  database(name: string): DbmsAdapter;
  processes: ProcessRegistry;
}

/** A value as the operator sends it: text; NULL as ""; numbers as Python prints them. */
function cell(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'number') return Number.isInteger(v) ? String(v) : pyFloatRepr(v);
  if (typeof v === 'bigint') return v.toString();
  if (v instanceof Date) return v.toISOString().replace('T', ' ').replace(/\.(\d{3})Z$/, '.$1000');
  if (typeof v === 'boolean') return v ? 'True' : 'False';
  return String(v);
}

/** One result row as its segment text. */
export function rowText(row: readonly unknown[]): string {
  return `{"Query":[{${row.map((v, i) => `"${i}":${JSON.stringify(cell(v))}`).join(',')}}]}`;
}

/** Queries from the network run on at most this many at once (EdgeLake's query pool: 3 threads by default). */
const QUERY_THREADS = 3;

export class OperatorQueries implements NodeService {
  readonly name = 'operator queries';
  private readonly releases: (() => void)[];
  /** The query pool (get query pool, the Query Pool line of get processes, as on every EdgeLake node). */
  readonly pool = new WorkersPool(QUERY_THREADS, 'Query');

  constructor(private readonly deps: OperatorQueryDeps) {
    this.releases = [
      deps.peer.route({ words: 'sql', owner: 'operator queries' }, (m, first) => this.pooled(() => this.query(m, first))),
      deps.peer.route({ words: 'info table', owner: 'operator queries' }, (m, first) => this.pooled(() => this.tableInfo(m, first))),
      deps.processes.register('Query Pool', { running: () => true, details: () => `Threads Pool: ${QUERY_THREADS}` }),
    ];
  }

  /** Runs a query in a slot of the pool (others wait their turn). */
  private async pooled(run: () => Promise<void>): Promise<void> {
    const slot = await this.pool.acquire();
    if (slot === undefined) return;
    try {
      await run();
    } finally {
      this.pool.release(slot);
    }
  }

  commands(): CommandSpec[] {
    return [
      {
        key: 'get query pool',
        usage: 'get query pool where details = [true/false]',
        help: 'The workers that run queries sent by query nodes: busy flags and calls served.',
        maxArgs: 0,
        where: { details: { type: 'bool', default: false } },
        run: (_c, inv) => (inv.options.details === true ? { code: 0, output: this.pool.details() } : { code: 0, output: { kind: 'text', text: this.pool.summary() } }),
      },
    ];
  }

  async stop(): Promise<void> {
    this.pool.close();
    for (const release of this.releases.splice(0)) release();
  }

  private target(message: IncomingMessage, first: Block): { ip: string; port: number } {
    const h = first.header;
    return { ip: h.ip === '0.0.0.0' || h.ip === '' ? message.remoteIp : h.ip, port: h.port };
  }

  /** The error path: one block from this operator, info 4, the code and its text. */
  private async fail(message: IncomingMessage, first: Block, code: number, text: string): Promise<void> {
    const header: BlockHeader = { ...this.deps.peer.replyHeader(first), infoType: INFO.command, dataStruct: DATA_STRUCT.text, error: code, partitionsUsed: 1, partitionId: 0, genericFlag: first.header.genericFlag };
    await this.deps.peer.sendBlocks(this.target(message, first), [encodeBlock(header, COMMAND, Buffer.from(text, 'utf8'))]);
  }

  private async query(message: IncomingMessage, first: Block): Promise<void> {
    const words = first.command.split(' ');
    const dbmsName = words[1] ?? '';
    const at = words.findIndex((w, i) => i >= 2 && /^select(\t|$)/i.test(w));
    if (at < 0) return this.fail(message, first, 46, 'Failed to parse SQL: no select statement');
    const sql = words.slice(at).join(' ').replace(/\t/g, ' ').replace(/\s+/g, ' ').trim();
    let db: DbmsAdapter;
    try {
      db = this.deps.database(dbmsName);
    } catch {
      return this.fail(message, first, 5, `Logical DBMS '${dbmsName}' not opened on Operator Node`);
    }
    const table = /\bfrom\s+"?([a-z0-9_]+)"?/i.exec(sql)?.[1]?.toLowerCase();
    const tables = await db.tables();
    const partitions = table ? partitionsOf(tables, table) : [];
    if (!table || (!tables.includes(table) && partitions.length === 0)) return this.fail(message, first, EMPTY_DATA_SET, '');
    // One stream per partition (EdgeLake queries the partitions, not the empty parent), else one for the table.
    const sources = partitions.length > 0 ? partitions : [table];
    const runs = sources.map((source) => ({ source, sql: source === table ? sql : sql.replace(new RegExp(`\\bfrom\\s+"?${table}"?\\b`, 'i'), `from ${source}`) }));
    const results: { rows: unknown[][] }[] = [];
    for (const run of runs) {
      try {
        results.push(await db.query(partitions.length > 0 ? run.sql : rewriteForPartitions(run.sql, tables)));
      } catch (err) {
        return this.fail(message, first, 16, (err as Error).message);
      }
    }
    const capacity = PAYLOAD_CAPACITY - COMMAND.length;
    await Promise.all(
      results.map(async ({ rows }, p) => {
        const packed = packSegments(rows.map(rowText), capacity);
        const blocks = packed.map((b, i) =>
          encodeBlock(
            { ...first.header, blockCounter: i + 1, last: i === packed.length - 1, infoType: INFO.resultSet, dataStruct: DATA_STRUCT.segments, error: 0, segmentCount: b.count, partitionsUsed: results.length, partitionId: p, dbmsTime: 0, sendTime: 0 },
            COMMAND,
            b.data,
          ),
        );
        await this.deps.peer.sendBlocks(this.target(message, first), blocks);
      }),
    );
  }

  /** `info table <dbms> <table> columns` from a query node: the structure as EdgeLake sends it (info type 2). */
  private async tableInfo(message: IncomingMessage, first: Block): Promise<void> {
    const [, , dbmsName = '', table = '', what] = first.command.split(' ');
    let db: DbmsAdapter;
    try {
      db = this.deps.database(dbmsName);
    } catch {
      return this.fail(message, first, 50, `DBMS '${dbmsName}' not connected`);
    }
    if (what !== 'columns') return this.fail(message, first, 2, `info table ... ${what ?? ''}: only 'columns' is answered to peers`);
    const columns = await db.columns(table.toLowerCase());
    if (columns.length === 0) return this.fail(message, first, 29, `No metadata info on ${dbmsName}.${table}`);
    // SQLite's declared types as EdgeLake reports them to peers (`timestamp`, not PostgreSQL's long form).
    const structure = `{"Structure.${dbmsName}.${table}":[${columns.map((c) => `{"column_name":${JSON.stringify(c.name)},"data_type":${JSON.stringify(c.type === 'timestamp without time zone' ? 'timestamp' : c.type)}}`).join(',')}]}`;
    const header: BlockHeader = { ...this.deps.peer.replyHeader(first), infoType: INFO.tableStruct, dataStruct: DATA_STRUCT.text, genericFlag: 0 };
    await this.deps.peer.sendBlocks(this.target(message, first), [encodeBlock(header, COMMAND, Buffer.from(structure, 'utf8'))]);
  }
}
