// The REST server's commands (usage strings from transcripts/command-table.txt): run rest server, exit rest,
// get rest calls, get rest pool, get rest server info, set rest timeout. Outputs follow the transcripts
// get-rest-calls.txt, get-rest-pool.txt and get-rest-server-info.txt.
import { positional } from '../command/where.js';
import type { TableOutput } from '../../../shared/types.js';
import { tableOf } from '../command/results.js';
import type { CommandSpec, DictionaryApi } from '../command/types.js';
import { CommandError, Status } from '../core/status.js';
import { configFromOptions, connectionUrl, RUN_REST_SERVER_OPTIONS, type RestConfig } from './config.js';
import { timeToSeconds } from './request.js';
import type { WorkersPool } from './pool.js';
import type { RestStats } from './stats.js';

const text = (value: string) => ({ code: 0, output: { kind: 'text' as const, text: value } });

/** `get rest server info`: EdgeLake lists the attributes of its server-info object, sorted, values padded by a space. */
export function serverInfoTable(config: RestConfig | undefined, buffSize: string): TableOutput {
  const py = (b: boolean) => (b ? 'True' : 'False');
  // Before any `run rest server`, EdgeLake shows its class defaults (empty connection, bind True, 0 values).
  const rows: [string, string][] = [
    ['buff_size', config ? buffSize : '0'],
    ['ca_public_key', 'None'],
    ['connection', config ? connectionUrl(config) : ''],
    ['is_bind', py(config ? config.bind : true)],
    ['is_ssl', py(config?.ssl ?? false)],
    ['node_cr', 'None'],
    ['node_private_key', 'None'],
    ['streaming_log', 'False'],
    ['timeout', String(config?.timeout ?? 0)],
    ['trace', 'False'],
    ['workers_count', String(config?.threads ?? 0)],
  ];
  return tableOf(['Attribute', 'Value'], rows.map(([k, v]) => [k, ` ${v} `]));
}

/** What the REST commands need of the server (narrow: commands.ts does not import service.ts, which imports it). */
export interface RestCommandsHost {
  readonly stats: RestStats;
  readonly lastConfig: RestConfig | undefined;
  readonly pool: WorkersPool | undefined;
  start(config: RestConfig): Promise<void>;
  stop(): Promise<void>;
  stopAfterReply(): void;
  setTimeoutSeconds(seconds: number): void;
}

export function restCommands(service: RestCommandsHost, dictionary: DictionaryApi): CommandSpec[] {
  return [
    {
      key: 'run rest server',
      usage:
        'run rest server where external_ip = [external_ip ip] and external_port = [external port] and internal_ip = [internal ip] and internal_port = [internal port] and timeout = [timeout] and ssl = [true/false] and bind = [true/false]',
      help:
        'Starts the REST server. timeout: seconds a request waits for its command (default 20, 0 = no limit); threads: requests served at once (default 5); bind = true listens on the internal ip only, false (default) on every interface at the internal port.',
      maxArgs: 2,
      where: RUN_REST_SERVER_OPTIONS,
      run: async (_ctx, inv) => {
        await service.start(configFromOptions(positional(inv.args, inv.options, 'run rest server')));
        return { code: 0 };
      },
    },
    {
      key: 'exit rest',
      usage: 'exit rest',
      help: 'Stops the REST server and closes its open connections; the port is free again at once.',
      keyOnly: true,
      run: async (_ctx, inv) => {
        if (inv.source === 'rest') service.stopAfterReply();
        else await service.stop();
        return { code: 0 };
      },
    },
    {
      key: 'get rest calls',
      usage: 'get rest calls',
      help: 'Statistics of the REST calls per caller (User-Agent product) and HTTP method.',
      keyOnly: true,
      run: () => {
        const config = service.lastConfig;
        return { code: 0, output: service.stats.table(config ? connectionUrl(config) : undefined) };
      },
    },
    {
      key: 'get rest pool',
      usage: 'get rest pool',
      help: 'The REST workers pool: busy (1) or idle (0) per thread and the requests served; where details = true lists each thread, reset = true zeroes the counters.',
      maxArgs: 0,
      where: { details: { type: 'bool', default: false }, reset: { type: 'bool', default: false } },
      run: (_ctx, inv) => {
        const pool = service.pool;
        if (!pool) return text('Rest Pool is not declared');
        if (inv.options.reset === true) pool.resetCounters();
        return inv.options.details === true ? { code: 0, output: pool.details() } : text(pool.summary());
      },
    },
    {
      key: 'get rest server info',
      usage: 'get rest server info',
      help: 'The configuration of the REST server.',
      keyOnly: true,
      run: () => ({ code: 0, output: serverInfoTable(service.lastConfig, dictionary.get('io_buff_size') ?? '2048') }),
    },
    {
      key: 'set rest timeout',
      usage: 'set rest timeout [time]',
      help: 'Changes how long a REST request waits for its command: set rest timeout 30, set rest timeout 2 minutes (0 = no limit).',
      minArgs: 1,
      maxArgs: 2,
      run: (_ctx, inv) => {
        const [counter, unit] = inv.args;
        const seconds = timeToSeconds(counter!, unit);
        if (seconds === undefined) {
          throw new CommandError(Status.COMMAND_STRUCT, `'${inv.args.join(' ')}' is not a time: give seconds, or '<n> seconds|minutes|hours|days'`);
        }
        service.setTimeoutSeconds(seconds);
        return { code: 0 };
      },
    },
  ];
}
