// Streaming settings and the streamer process (commands.md: set buffer threshold, run streamer). The thresholds
// decide when the streaming buffers (rows arriving by MQTT and REST PUT/POST, issue 13) are written through the
// ingest core: after `time` seconds or `volume` bytes, or at once with write_immediate. Deployment scripts set
// them and start the streamer before any data source exists, so both are accepted and shown now; the buffers
// that use them arrive with the streaming work.
// EdgeLake's quirk (streaming_data.py set_thresholds): its per-table form reads keys the command never produces,
// so every call sets the global default. We keep per-table thresholds when dbms and table are given, as the
// command's syntax promises, and the global default otherwise.
import { tableResult } from '../command/results.js';
import type { NodeService } from '../command/service.js';
import type { CommandSpec, WhereOptions } from '../command/types.js';
import type { ProcessRegistry } from '../core/processes.js';
import { CommandError, Status } from '../core/status.js';

export interface Thresholds {
  seconds: number;
  bytes: number;
  writeImmediate: boolean;
}

/** EdgeLake's defaults before any set buffer threshold: 60 s, 10,000 bytes, not immediate. */
export const DEFAULT_THRESHOLDS: Thresholds = { seconds: 60, bytes: 10_000, writeImmediate: false };

export class StreamingService implements NodeService {
  readonly name = 'streaming';
  private global: Thresholds = { ...DEFAULT_THRESHOLDS };
  private readonly perTable = new Map<string, Thresholds>();
  private unregister: (() => void) | undefined;

  constructor(private readonly deps: { processes: ProcessRegistry }) {}

  /** The thresholds that apply to dbms.table. */
  thresholds(dbms: string, table: string): Thresholds {
    return this.perTable.get(`${dbms}.${table}`.toLowerCase()) ?? this.global;
  }

  private set(o: WhereOptions): void {
    if (o.time === undefined && o.volume === undefined && o.write_immediate === undefined) {
      throw new CommandError(Status.COMMAND_STRUCT, 'set buffer threshold needs time, volume or write_immediate');
    }
    if ((o.dbms === undefined) !== (o.table === undefined)) throw new CommandError(Status.COMMAND_STRUCT, 'set buffer threshold: give both dbms and table, or neither (the default for every table)');
    const key = o.dbms !== undefined ? `${String(o.dbms)}.${String(o.table)}`.toLowerCase() : undefined;
    const base = key ? (this.perTable.get(key) ?? { ...this.global }) : this.global;
    const next: Thresholds = {
      seconds: o.time !== undefined ? Number(o.time) : base.seconds,
      bytes: o.volume !== undefined ? Number(o.volume) : base.bytes,
      writeImmediate: o.write_immediate !== undefined ? Boolean(o.write_immediate) : base.writeImmediate,
    };
    if (key) this.perTable.set(key, next);
    else this.global = next;
  }

  async stop(): Promise<void> {
    this.unregister?.();
    this.unregister = undefined;
  }

  commands(): CommandSpec[] {
    return [
      {
        key: 'set buffer threshold',
        usage: 'set buffer threshold where dbms = [dbms name] and table = [table name] and time = [time] and volume = [data volume] and write_immediate = [true/false]',
        help: 'When streamed rows are written: after a time, after a volume, or at once (write_immediate).',
        maxArgs: 0,
        where: { dbms: { type: 'str' }, table: { type: 'str' }, time: { type: 'int.time' }, volume: { type: 'int.storage' }, write_immediate: { type: 'bool' } },
        run: (_c, inv) => {
          this.set(inv.options);
          return { code: 0 };
        },
      },
      {
        key: 'get buffer thresholds',
        usage: 'get buffer thresholds',
        help: 'The streaming thresholds: the default and those set per table.',
        keyOnly: true,
        run: () =>
          tableResult(
            ['DBMS-Table', 'Time (sec)', 'Volume (bytes)', 'Write Immediate'],
            [['*', this.global.seconds, this.global.bytes, this.global.writeImmediate], ...[...this.perTable].map(([k, t]) => [k, t.seconds, t.bytes, t.writeImmediate])],
          ),
      },
      {
        key: 'run streamer',
        usage: 'run streamer',
        help: 'Starts the streamer that writes the streaming buffers when their thresholds are reached.',
        keyOnly: true,
        run: () => {
          if (this.unregister) throw new CommandError(Status.PROCESS_ALREADY_RUNNING, 'The streamer is already running');
          this.unregister = this.deps.processes.register('Streamer', {
            running: () => this.unregister !== undefined,
            details: () => `Default streaming thresholds are ${this.global.seconds} seconds and ${this.global.bytes.toLocaleString('en-US')} bytes`,
            stopCommand: 'exit streamer',
          });
          return { code: 0 };
        },
      },
      {
        key: 'exit streamer',
        usage: 'exit streamer',
        help: 'Stops the streamer.',
        keyOnly: true,
        hidden: true,
        run: async () => {
          await this.stop();
          return { code: 0 };
        },
      },
    ];
  }
}
