// The composition root of one EdgeLake node. Everything a node owns (dictionary, command table, process
// registry, services) hangs off one EdgeNode instance: several nodes run side by side in one process (tests do),
// so no module holds node state. Start order: directories, dictionary, commands, then services on demand;
// stop() runs in reverse and releases every port, watcher and timer (DisposableStore).
import { EventEmitter } from 'node:events';
import { mkdir } from 'node:fs/promises';
import { hostname as osHostname } from 'node:os';
import type { CommandReply, FileOutcome, NodeInfo, OperatorSample, ProcessInfo, ScriptLine } from '../../shared/types.js';
import { CommandTable } from './command/table.js';
import { Dictionary } from './command/dictionary.js';
import type { Interpreter } from './command/interpreter.js';
import { createInterpreter } from './command/language.js';
import { toReply } from './command/render.js';
import type { CommandResult, CommandSource } from './command/types.js';
import { DisposableStore } from './core/disposables.js';
import { commandGroup, type NodeService } from './command/service.js';
import { ProcessRegistry } from './core/processes.js';
import { nodeCommands } from './node-info/commands.js';
import { RestService } from './rest/service.js';
import { partitionCommands } from './dbms/partition-commands.js';
import { Databases } from './dbms/service.js';
import { MetadataService } from './metadata/service.js';
import { NodeLog } from './core/node-log.js';
import { CommandError, Status, statusText } from './core/status.js';
import { logCommands } from './node-info/log-commands.js';
import { ConfigPolicies } from './deploy/config-policy.js';
import { StreamingService } from './streaming/service.js';
import { notBuiltCommands } from './deploy/not-built.js';
import { restClientCommands } from './rest/client-command.js';
import { archiveCommands } from './operator/archive-commands.js';
import { machineCommands } from './node-info/machine-commands.js';
import { OperatorQueries } from './query/operator-queries.js';
import { PeerService } from './peer/service.js';
import { SyncService } from './metadata/sync.js';
import { OperatorService } from './operator/service.js';
import { tsdCommands } from './operator/tsd-commands.js';
import { SchedulerService } from './scheduler/service.js';
import { defaultDictionary, WORK_DIR_KEYS } from './node-info/defaults.js';

export const EDGELAKE_VERSION = '1.4.2604';

/** The thread name EdgeLake's logs show for a command's origin. */
const THREAD_OF_SOURCE: Record<CommandSource, string> = { cli: 'MainThread', script: 'MainThread', console: 'MainThread', rest: 'rest', peer: 'tcp', scheduler: 'scheduler' };

export interface NodeOptions {
  /** EDGELAKE_HOME: the node keeps everything below it. */
  home: string;
  /** The machine's address reported as `ip`/`external_ip`; default: first non-internal IPv4, else 127.0.0.1. */
  ip?: string;
  hostname?: string;
  /** Environment used for `$VAR` references; default process.env. */
  env?: Record<string, string | undefined>;
  /** How often schedulers wake up, in ms (EdgeLake: 10,000; tests use less). */
  schedulerTickMs?: number;
  /** Services added after the built-in ones (their commands registered, stopped first). */
  services?: (node: EdgeNode) => NodeService[];
  /** The operator's settle time, first retry delay and rescan period in ms (OperatorDeps; tests use less). */
  operatorTiming?: { settleMs?: number; retryMs?: number; rescanMs?: number };
}

export interface NodeEvents {
  'processes:changed': [ProcessInfo[]];
  /** Text printed by the node outside a reply (scripts, notices). */
  output: [string];
  /** `exit node` ran or stop() completed. */
  stopped: [];
  /** `set node name` changed the name (the CLI prompt follows it). */
  renamed: [string];
  /** A line of a running script finished. */
  'script:line': [ScriptLine];
  /** Every second while the operator runs. */
  'operator:sample': [OperatorSample];
  /** A file the operator finished with (ingested or failed; retries are not finished): its watch-directory name. */
  'operator:file': [FileOutcome];
}

export class EdgeNode extends EventEmitter<NodeEvents> {
  readonly home: string;
  readonly hostname: string;
  readonly dictionary: Dictionary;
  readonly processes = new ProcessRegistry();
  readonly commands = new CommandTable();
  /** The event and error logs and the echo queue (get event log, get error log, get echo queue). */
  readonly log = new NodeLog();
  readonly interpreter: Interpreter;
  readonly rest: RestService;
  readonly databases: Databases;
  readonly metadata: MetadataService;
  readonly peer: PeerService;
  readonly sync: SyncService;
  readonly operator: OperatorService;
  readonly scheduler: SchedulerService;
  /** Every service of this node, in start order (see core/service.ts). */
  readonly services: readonly NodeService[];
  private readonly store = new DisposableStore();
  private nodeName = 'AnyLog';
  private state: 'new' | 'running' | 'stopping' | 'stopped' = 'new';
  private stopping: Promise<void> | undefined;

  constructor(options: NodeOptions) {
    super();
    this.home = options.home;
    this.hostname = options.hostname ?? osHostname();
    this.dictionary = new Dictionary(options.env ?? process.env);
    for (const [key, value] of defaultDictionary({ home: this.home, ip: options.ip })) this.dictionary.set(key, value);
    this.interpreter = createInterpreter(this.commands, this.dictionary, {
      print: (text) => this.emit('output', text),
      readFile: undefined,
      echo: (text) => this.log.echo(text),
      traceback: () => this.log.traceback,
      scriptLine: (file, line, command, result) => this.emit('script:line', { file, line, command, code: result.code, ...(result.code !== 0 && result.detail ? { detail: result.detail } : {}) }),
      executed: (text, source, result) => {
        const outcome = result.code === 0 ? '(ok)' : `(Failed: ${statusText(result.code)})`;
        this.log.add(result.code === 0 ? 'Event' : 'Error', `${outcome} ${text}`, THREAD_OF_SOURCE[source]);
        if (this.log.traceLevel > 0) this.emit('output', `[trace] ${THREAD_OF_SOURCE[source]}: ${outcome} ${text}${result.code !== 0 && result.detail && this.log.traceLevel > 1 ? ` -- ${result.detail}` : ''}\r\n`);
      },
    });
    this.rest = new RestService({
      execute: (text, source) => this.executeResult(text, source),
      processes: this.processes,
      dictionary: this.dictionary,
      // The peer service is created below; the REST server calls this only while both run.
      forward: (destinations, command, timeoutMs) =>
        this.peer.running ? this.peer.forward(destinations, command, timeoutMs) : Promise.reject(new CommandError(Status.SOURCE_IP_PORT, 'TCP server is not running: run tcp server where ... to send commands to peers')),
    });
    const env = options.env ?? process.env;
    const nodeInfo = commandGroup('node info', () =>
      nodeCommands({
        version: EDGELAKE_VERSION,
        hostname: () => this.hostname,
        nodeName: () => this.nodeName,
        setNodeName: (name) => {
          this.nodeName = name;
          this.emit('renamed', name);
        },
        // `ip` alone until the TCP server runs (observed on EdgeLake: `AnyLog@192.0.2.2 running`).
        nodeAddress: () => this.peer.address() ?? this.dictionary.get('ip') ?? '127.0.0.1',
        processes: this.processes,
        dictionary: this.dictionary,
        env,
        connections: () => ({ tcp: this.peer.endpoint(), rest: this.rest.addresses(), messaging: undefined }),
        createWorkDirectories: () => this.createWorkDirectories(),
        exitNode: () => {
          void this.stop();
        },
      }),
    );
    this.databases = new Databases({
      dictionary: this.dictionary,
      tablePolicyDdl: async (dbms, table) => {
        const p = (await this.metadata.ledger.all()).find((x) => x.table?.dbms === dbms && x.table?.name === table);
        return typeof p?.table?.create === 'string' ? p.table.create : undefined;
      },
    });
    const logs = commandGroup('logs', () => logCommands({ log: this.log, dictionary: this.dictionary }));
    const partitions = commandGroup('partitions', () => partitionCommands({ partitions: this.databases.partitions, database: (name) => this.databases.get(name), names: () => this.databases.names() }));
    this.operator = new OperatorService({
      ...options.operatorTiming,
      dictionary: this.dictionary,
      processes: this.processes,
      database: (name) => this.databases.get(name),
      ledger: () => this.metadata.ledger,
      partition: (dbms, table) => this.databases.partitions.ruleFor(dbms, table),
      nodeName: () => `${this.nodeName}@${this.dictionary.get('ip') ?? '127.0.0.1'}`,
      onSample: (sample) => this.emit('operator:sample', sample),
      onOutcome: (outcome, file) => {
        if (outcome.status === 'ingested') this.emit('operator:file', { file, status: 'ingested', dbms: outcome.dbms, table: outcome.table, rows: outcome.rows });
        else if (outcome.status === 'failed') this.emit('operator:file', { file, status: 'failed', dbms: outcome.dbms, table: outcome.table, code: outcome.code, reason: outcome.reason });
      },
      // A table the ingest core created (from a file or a stream) is published as EdgeLake's operator does: table
      // policy + child cluster policy.
      onTableCreated: (dbms, table, ddl) => {
        const me = this.operator.membership();
        if (!me?.cluster) return;
        this.metadata.registerTable(dbms, table, ddl, me).catch((err: Error) => this.emit('output', `Table ${dbms}.${table} was not registered in the ledger: ${err.message}`));
      },
    });
    this.peer = new PeerService({
      dictionary: this.dictionary,
      processes: this.processes,
      resolve: (word) => this.dictionary.resolve(word),
      execute: (text) => this.executeResult(text, 'peer'),
      output: (text) => this.emit('output', text),
      echo: (text) => this.log.echo(text),
    });
    // This node as an operator answers the queries of query nodes (sql, info table) over the peer protocol.
    const operatorQueries = new OperatorQueries({ peer: this.peer, database: (name) => this.databases.get(name), processes: this.processes });
    this.metadata = new MetadataService({
      dictionary: this.dictionary,
      database: (name) => this.databases.get(name),
      operator: () => this.operator.membership(),
      sendToPeer: (destination, command) => this.peer.send(destination, command),
    });
    this.sync = new SyncService({
      dictionary: this.dictionary,
      processes: this.processes,
      ledger: this.metadata.ledger,
      peer: this.peer,
      tableText: () => this.metadata.tableText(),
      toTable: (policies) => this.metadata.mirrorToTable(policies),
      output: (text) => this.emit('output', text),
    });
    this.scheduler = new SchedulerService({
      processes: this.processes,
      dictionary: this.dictionary,
      execute: (text, source) => this.executeResult(text, source),
      tickMs: options.schedulerTickMs,
    });
    const configPolicies = new ConfigPolicies({
      dictionary: this.dictionary,
      policies: async (where) => {
        const r = await this.executeResult(`blockchain get * where ${where}`, 'script');
        if (r.code !== 0) throw new CommandError(r.code, r.detail);
        return r.output?.kind === 'json' && Array.isArray(r.output.value) ? (r.output.value as Record<string, unknown>[]) : [];
      },
      execute: (text, source) => this.executeResult(text, source),
      tcpAddress: () => this.peer.address(),
      restAddress: () => (this.rest.config ? `${this.rest.config.internalIp}:${this.rest.config.internalPort}` : undefined),
      print: (text) => this.emit('output', text),
    });
    const streaming = new StreamingService({ processes: this.processes });
    const notBuilt = commandGroup('not built', notBuiltCommands);
    const restClient = commandGroup('rest client', restClientCommands);
    const archive = commandGroup('archive', () => archiveCommands(this.dictionary));
    const machine = commandGroup('machine', machineCommands);
    const tsd = commandGroup('tsd', () => tsdCommands({ dictionary: this.dictionary, database: (name) => this.databases.get(name), member: () => this.operator.member() }));
    // The node's services, in start order; stop() runs them in reverse (the REST server first, the databases last).
    this.services = [nodeInfo, logs, this.databases, partitions, this.metadata, this.operator, tsd, this.peer, operatorQueries, this.sync, this.scheduler, streaming, this.rest, configPolicies, notBuilt, restClient, archive, machine, ...(options.services?.(this) ?? [])];
    for (const service of this.services) this.commands.registerAll(service.commands());
    this.processes.on('change', (list) => this.emit('processes:changed', list));
  }

  /** Creates the work directories (EdgeLake does it on `create work directories`; a desktop node does it on start). */
  async start(): Promise<void> {
    if (this.state !== 'new') throw new Error(`node already ${this.state}`);
    await this.createWorkDirectories();
    this.state = 'running';
    // EdgeLake's system scheduler 0 (job/task_scheduler.py start_init_commands): every minute it pings the peers
    // that did not answer, so they come back as active when they return.
    for (const command of ['schedule time = 1 minute and scheduler = 0 and name = "Metadata Ping" task set servers ping', 'run scheduler 0']) {
      const r = await this.executeResult(command, 'script');
      if (r.code !== 0) this.emit('output', `The system scheduler did not start: ${r.detail ?? r.code}\r\n`);
    }
  }

  async createWorkDirectories(): Promise<void> {
    for (const key of WORK_DIR_KEYS) {
      const dir = this.dictionary.get(key);
      if (dir) await mkdir(dir, { recursive: true });
    }
  }

  get running(): boolean {
    return this.state === 'running';
  }

  /** The node's name (`AnyLog` until `set node name`), home and version. */
  info(consoleUrl?: string): NodeInfo {
    return { nodeName: this.nodeName, home: this.home, version: EDGELAKE_VERSION, consoleUrl };
  }

  /** Runs one command line and returns the raw result (handlers' data, before rendering). */
  async executeResult(text: string, source: CommandSource): Promise<CommandResult> {
    if (this.state !== 'running') return { code: Status.PROCESS_FAILURE, detail: `node is ${this.state}` };
    return this.interpreter.execute(text, source);
  }

  /** Runs one command line and renders it the way EdgeLake's CLI prints it (plus the JSON value if any). */
  async execute(text: string, source: CommandSource = 'console'): Promise<CommandReply> {
    return toReply(await this.executeResult(text, source));
  }

  /** Stops every service and releases every resource. Idempotent; concurrent calls share one shutdown. */
  stop(): Promise<void> {
    if (this.stopping) return this.stopping;
    this.state = 'stopping';
    this.stopping = (async () => {
      try {
        for (const service of [...this.services].reverse()) {
          await service.stop().catch((err: Error) => this.emit('output', `Stopping ${service.name} failed: ${err.message}`));
        }
        await this.store.dispose();
      } finally {
        this.state = 'stopped';
        this.emit('stopped');
      }
    })();
    return this.stopping;
  }
}
