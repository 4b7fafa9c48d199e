// The row-level ingest core: the one entry that writes rows of a (dbms, table) into the database, whatever brought
// them — a watch-directory file (json-file.ts), and next the MQTT/REST streaming buffers and the HA consumer. It
// owns what every source shares and nothing of files (names, hashes of bytes, archive, error directory):
//   1. with update_tsd_info, a tsd_info row is committed first (rows = 0): it reserves the rows' id (tsd_id);
//   2. the table is checked, or created from the rows (create_table) — its generic DDL is reported so the node
//      publishes it as a `table` policy;
//   3. the rows are inserted in one transaction, each carrying tsd_name/tsd_id = member/id, into the table's time
//      partitions when it has them (partition-writes.ts);
//   4. tsd_info.rows is set, and the write is reported (onWritten: the operator's counters, `get operator`).
// A failure before step 3 commits removes the reserved tsd_info row, so the same rows can be sent again. A failure
// after it throws RowsCommitted: the rows are stored and must not be sent again (a file is retried, not failed).
// A batch may resume a tsd_info row reserved earlier (a file after a crash): rows already stored under its id are
// not inserted twice.
import { randomUUID } from 'node:crypto';
import { CommandError, Status } from '../core/status.js';
import { ident, type DbmsAdapter } from '../dbms/adapter.js';
import { ddlStatements } from '../dbms/ddl.js';
import { partitionsOf, type PartitionRule } from '../dbms/partitions.js';
import { tsdTimeText } from './dates.js';
import type { JsonRow } from './json-rows.js';
import { plannedInsert } from './partition-writes.js';
import { insertTimestamp, rowPlanner } from './rows.js';
import { genericDdl, inferColumns } from './schema.js';

/** Rows planned and inserted at a time (a 5,000-row file is one chunk). */
const PLAN_CHUNK = 10_000;

/**
 * Where rows come from. Rows of a watch-directory file are batch inserts; any other origin is a stream (MQTT, REST
 * PUT/POST, the HA consumer) and counts as immediate inserts, as EdgeLake counts streaming data in `get operator`.
 */
export type RowOrigin = 'file' | 'mqtt' | 'rest' | 'ha';

export interface RowBatch {
  dbms: string;
  table: string;
  /** The rows, one JSON object each (attributes map onto columns as for a file, rows.ts). */
  rows: readonly JsonRow[];
  origin: RowOrigin;
  /** tsd_info's `source`: a file name's source segment, an MQTT topic, a REST client, a peer member. */
  source: string;
  /**
   * tsd_info's `file_hash`, unique per recorded write: a file's hash; a stream may pass its own key (a message id)
   * to have a second write of it refused as a duplicate (86). Without one, a fresh id is recorded.
   */
  hash?: string | undefined;
  /** tsd_info's `instructions` ('0' when none). */
  instructions?: string | undefined;
  /** Names the rows in error messages (a file name; default `dbms.table from <source>`). */
  label?: string | undefined;
  /** The insert time (insert_timestamp, tsd_info file_time; default now). */
  at?: Date | undefined;
  /** A tsd_info row reserved earlier for these same rows (see TsdRecord): rows stored under its id are kept. */
  resume?: { id: number; recordedAt: Date } | undefined;
}

export interface WriteResult {
  /** Rows of the batch in the table (inserted now, or found stored under a resumed tsd_info row). */
  rows: number;
  /** The tsd_info id the rows carry (update_tsd_info), and when that row was recorded. */
  tsdId?: number | undefined;
  recordedAt: Date;
  hash?: string | undefined;
  /** True when the rows were found stored under a resumed tsd_info row (nothing inserted). */
  resumed: boolean;
  /** The partitions the rows went to (partitioned tables). */
  partitions?: string[] | undefined;
  /** The generic DDL of the table this write created (the node publishes it as a `table` policy). */
  createdTable?: string | undefined;
}

/** What a write reports to its listener (the operator's counters; a worker forwards it to the operator thread). */
export interface RowsWritten {
  dbms: string;
  table: string;
  origin: RowOrigin;
  source: string;
  /** Rows inserted by this write (0 when a resumed write found them stored). */
  rows: number;
  partitions?: string[] | undefined;
  createdTable?: string | undefined;
  /** Time in the database, from the tsd_info reservation to its update. */
  ms: number;
}

/** A tsd_info row found by its hash. */
export interface TsdRecord {
  id: number;
  recordedAt: Date;
  source: string;
  instructions: string;
  rows: number;
}

export interface IngestCoreOptions {
  createTable: boolean;
  updateTsdInfo: boolean;
  /** This node's member id in its cluster (`tsd_name`); '0' when it has none. */
  member: string;
}

export interface IngestCoreDeps {
  database(name: string): DbmsAdapter;
  now?: (() => Date) | undefined;
  /**
   * Runs `fn` holding the operator's write turn on a database. Workers writing the same SQLite files would otherwise
   * meet in SQLite's busy handler, which sleeps in steps of up to 100 ms; a turn handed over by message costs
   * microseconds.
   */
  exclusive?<T>(dbms: string, fn: () => Promise<T>): Promise<T>;
  /** The table's time partitions (`partition ...`), if declared. */
  partition?(dbms: string, table: string): PartitionRule | undefined;
  /** Every committed write (counters, the table policy of a created table). */
  onWritten?(written: RowsWritten): void;
}

/** The rows are committed; what came after failed (tsd_info's row count). Do not send the rows again. */
export class RowsCommitted extends Error {
  constructor(override readonly cause: Error) {
    super(cause.message);
    this.name = 'RowsCommitted';
  }
}

function parseTsdTime(text: string): Date {
  return new Date(`${text.replace(' ', 'T').slice(0, 23)}Z`);
}

interface Stored {
  rows: number;
  /** The rows were found stored under the resumed tsd_info id (nothing inserted now). */
  found: boolean;
  partitions: string[];
  createdTable: string | undefined;
}

interface Reserved {
  db: DbmsAdapter;
  id: number;
  recordedAt: Date;
  resumed: boolean;
}

export class IngestCore {
  constructor(
    private readonly deps: IngestCoreDeps,
    private readonly options: IngestCoreOptions,
  ) {}

  private exclusive<T>(dbms: string, fn: () => Promise<T>): Promise<T> {
    return this.deps.exclusive ? this.deps.exclusive(dbms, fn) : fn();
  }

  /** almgm with its tsd_info table (refused when the table is missing). */
  private async tsdInfo(): Promise<DbmsAdapter> {
    const almgm = this.deps.database('almgm');
    if (!(await almgm.tables()).includes('tsd_info')) {
      throw new CommandError(Status.DBMS_NOT_OPENED, "Table 'tsd_info' in dbms 'almgm' does not exist (create table tsd_info where dbms = almgm)");
    }
    return almgm;
  }

  /** The tsd_info row recorded under `hash`, if any (only with update_tsd_info). */
  async recorded(hash: string): Promise<TsdRecord | undefined> {
    if (!this.options.updateTsdInfo) return undefined;
    const known = await (await this.tsdInfo()).query('select file_id, file_time, source, instructions, rows from tsd_info where file_hash = ?', [hash]);
    if (known.rows.length === 0) return undefined;
    const [id, time, source, instructions, rows] = known.rows[0]! as [number, string | Date, string, string, number];
    return { id: Number(id), recordedAt: time instanceof Date ? time : parseTsdTime(time), source: String(source), instructions: String(instructions), rows: Number(rows) };
  }

  async writeRows(batch: RowBatch): Promise<WriteResult> {
    const t0 = Date.now();
    const at = batch.at ?? this.deps.now?.() ?? new Date();
    const label = batch.label ?? `${batch.dbms}.${batch.table} from ${batch.source}`;
    const db = this.deps.database(batch.dbms);
    const hash = this.options.updateTsdInfo ? (batch.hash ?? randomUUID().replace(/-/g, '')) : batch.hash;
    const tsd = this.options.updateTsdInfo ? await this.reserve(batch, hash!, at, label) : undefined;
    let stored: Stored;
    try {
      stored = await this.store(db, batch, label, at, tsd);
    } catch (err) {
      // Nothing is committed: no tsd_info row is left, so the same rows (a corrected file) are not a "duplicate"
      // (EdgeLake keeps a rows = 0 row and then refuses the re-drop).
      if (tsd && !tsd.resumed) await tsd.db.run('delete from tsd_info where file_id = ?', [tsd.id]).catch(() => undefined);
      throw err;
    }
    try {
      if (tsd) await this.exclusive('almgm', () => tsd.db.run('update tsd_info set rows = ? where file_id = ?', [stored.rows, tsd.id]));
    } catch (err) {
      throw new RowsCommitted(err as Error);
    }
    const partitions = stored.partitions.length > 0 ? stored.partitions : undefined;
    this.deps.onWritten?.({ dbms: batch.dbms, table: batch.table, origin: batch.origin, source: batch.source, rows: stored.found ? 0 : stored.rows, partitions, createdTable: stored.createdTable, ms: Date.now() - t0 });
    return { rows: stored.rows, tsdId: tsd?.id, recordedAt: tsd?.recordedAt ?? at, hash, resumed: tsd?.resumed ?? false, partitions, createdTable: stored.createdTable };
  }

  /** Steps 2 and 3: the table (created when new and allowed), then the rows in one transaction. */
  private async store(db: DbmsAdapter, batch: RowBatch, label: string, at: Date, tsd: Reserved | undefined): Promise<Stored> {
    let createdTable: string | undefined;
    let columns = await db.columns(batch.table);
    if (columns.length === 0) {
      if (!this.options.createTable) throw new CommandError(Status.TABLE_NAME, `${label}: table '${batch.table}' does not exist in dbms '${batch.dbms}' and create_table is off`);
      const created = await this.exclusive(batch.dbms, () => this.createTable(db, batch.table, batch.rows));
      columns = created.columns;
      createdTable = created.ddl;
    }
    const { rows } = batch;
    const tsdName = tsd ? this.options.member : '0';
    const tsdId = tsd?.id ?? 0;
    if (tsd?.resumed) {
      let alreadyIn = 0;
      for (const t of [batch.table, ...partitionsOf(await db.tables(), batch.table)]) {
        alreadyIn += Number((await db.query(`select count(*) from ${ident(t)} where tsd_name = ? and tsd_id = ?`, [tsdName, tsdId])).rows[0]![0]);
      }
      // The rows were committed before a crash: they are not inserted twice.
      if (alreadyIn > 0) return { rows: alreadyIn, found: true, partitions: [], createdTable };
    }
    const planner = rowPlanner(rows.length > 16 ? rows[0] : undefined, columns, label, { columns: ['insert_timestamp', 'tsd_name', 'tsd_id'], values: [insertTimestamp(at), tsdName, tsdId] }, at);
    const rule = this.deps.partition?.(batch.dbms, batch.table);
    // The first chunk is planned before the write turn (a type error fails the rows without waiting for it); the
    // rest are planned inside, one chunk at a time, so a large batch never holds two copies of its rows.
    const firstChunk = planner.plan(rows, 0, Math.min(rows.length, PLAN_CHUNK));
    let touched: ReadonlySet<string> = new Set();
    const inserted = await this.exclusive(batch.dbms, () =>
      db.transaction(async (tx) => {
        const target = await plannedInsert(tx, db, batch.table, planner.columns, rule, label);
        touched = target.touched;
        let n = await target.insert(firstChunk, 0);
        for (let from = PLAN_CHUNK; from < rows.length; from += PLAN_CHUNK) {
          n += await target.insert(planner.plan(rows, from, Math.min(rows.length, from + PLAN_CHUNK)), from);
        }
        return n;
      }),
    );
    return { rows: inserted, found: false, partitions: [...touched].sort(), createdTable };
  }

  /** Creates the table from the rows, unless another writer created it meanwhile; returns its columns. */
  private async createTable(db: DbmsAdapter, table: string, rows: readonly JsonRow[]): Promise<{ columns: Awaited<ReturnType<DbmsAdapter['columns']>>; ddl: string | undefined }> {
    const columns = inferColumns(rows);
    if (columns.length === 0) throw new CommandError(Status.ANALYZE_JSON, `no column can be derived for table '${table}' (only objects or nulls)`);
    const generic = genericDdl(table, columns, this.options.updateTsdInfo);
    const statements = ddlStatements(db.engine, generic);
    let created = false;
    try {
      // SQLite's transaction takes the write lock first, so the check and the creation are one step.
      await db.transaction(async (tx) => {
        const exists = await tx.query(db.engine === 'sqlite' ? "select 1 from sqlite_master where type = 'table' and name = ?" : "select 1 from information_schema.tables where table_schema = 'public' and table_name = ?", [table]);
        if (exists.rows.length > 0) return;
        for (const s of statements) await tx.run(s);
        created = true;
      });
    } catch (err) {
      // PostgreSQL: a concurrent creation of the same table fails one of the two; the table is there all the same.
      if ((await db.columns(table)).length === 0) throw err;
    }
    return { columns: await db.columns(table), ddl: created ? generic : undefined };
  }

  /** Step 1: the tsd_info row the rows will carry (resumed, or reserved now with rows = 0). */
  private async reserve(batch: RowBatch, hash: string, at: Date, label: string): Promise<Reserved> {
    const almgm = await this.tsdInfo();
    if (batch.resume) return { db: almgm, id: batch.resume.id, recordedAt: batch.resume.recordedAt, resumed: true };
    const id = await this.exclusive('almgm', async () => {
      try {
        await almgm.run(
          'insert into tsd_info (dbms_name, table_name, source, file_hash, instructions, file_time, rows, status1, status2) values (?, ?, ?, ?, ?, ?, ?, ?, ?)',
          [batch.dbms, batch.table, batch.source, hash, batch.instructions ?? '0', tsdTimeText(at), 0, '', ''],
        );
      } catch (err) {
        const known = await almgm.query('select file_id from tsd_info where file_hash = ?', [hash]).catch(() => undefined);
        if (!known?.rows.length) throw err;
        throw new CommandError(Status.DUPLICATE_JSON_FILE, `${label}: rows with hash ${hash} are recorded already (tsd_info id ${String(known.rows[0]![0])}); they are stored once`);
      }
      return (await almgm.query('select file_id from tsd_info where file_hash = ?', [hash])).rows[0]![0];
    });
    return { db: almgm, id: Number(id), recordedAt: at, resumed: false };
  }
}
