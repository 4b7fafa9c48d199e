// Ledger sync (peer-protocol.md §6.6, policies.md §6): `run blockchain sync where source = master and time = 3
// seconds and dest = file and connection = ip:port` asks the master every period for its ledger with `event
// get_blockchain <path> <hash> 0`; the master answers with the ledger as a `file write` message (generic flag 2)
// when the hash differs. The new file replaces the ledger (the previous one kept as blockchain.old); local policies
// the master does not have yet are kept and pushed again (`blockchain push ignore`). `source = dbms` makes a master
// write its own ledger file from its `blockchain.ledger` table.
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { tableResult } from '../command/results.js';
import { pyJsonDumps } from '../command/format/pyjson.js';
import type { CommandSpec, DictionaryApi } from '../command/types.js';
import type { ProcessRegistry } from '../core/processes.js';
import { CommandError, Status } from '../core/status.js';
import { bodyOf, typeOf, type Ledger, type Policy } from './ledger.js';
import { md5, parsePyJson } from './policy-id.js';
import { elapsed } from '../dbms/query-output.js';
import { fileWriteBlocks, type Block } from '../peer/codec.js';
import type { PeerService } from '../peer/service.js';
import type { IncomingMessage } from '../peer/transport.js';
import type { NodeService } from '../command/service.js';

export interface SyncDeps {
  dictionary: DictionaryApi;
  processes: ProcessRegistry;
  ledger: Ledger;
  peer: PeerService;
  /** The master's ledger table as ledger text (one policy per line), or undefined when this node has none. */
  tableText(): Promise<string | undefined>;
  /** Writes pulled policies into blockchain.ledger when `dest = dbms` (skipped when there is no such table). */
  toTable?(policies: Policy[]): Promise<void>;
  output(text: string): void;
}

interface SyncConfig {
  source: 'master' | 'dbms';
  seconds: number;
  destFile: boolean;
  destDbms: boolean;
  connection?: string | undefined;
}

export class SyncService implements NodeService {
  readonly name = 'sync';
  private config: SyncConfig | undefined;
  private timer: NodeJS.Timeout | undefined;
  private unregister: (() => void) | undefined;
  private stats = { calls: 0, loads: 0, ok: 0, errors: 0, lastUpdate: 0, version: '' };
  /** Master side: k of `master_id_<k>` cycles 1..9 (EdgeLake's names). */
  private masterFile = 0;

  constructor(private readonly deps: SyncDeps) {
    deps.peer.route({ words: 'event get_blockchain', owner: 'ledger sync' }, (m, first) => this.serveLedger(m, first));
    deps.peer.route({ words: 'file write', flag: 2, owner: 'ledger sync' }, (m, first) => this.receiveFile(m, first));
  }

  private file(): string {
    return this.deps.dictionary.get('blockchain_file') ?? '';
  }

  /** Master: the ledger from its table, sent when the caller's hash differs. */
  private async serveLedger(message: IncomingMessage, first: Block): Promise<void> {
    const [, , path, hash = '0'] = first.command.split(' ');
    const header = first.header;
    const to = { ip: header.ip === '0.0.0.0' ? message.remoteIp : header.ip, port: header.port };
    const text = await this.deps.tableText();
    if (text === undefined || !path) {
      const why = text === undefined ? 'this node keeps no ledger table (create table ledger where dbms = blockchain)' : 'get_blockchain without a destination file';
      await this.deps.peer.sendEcho(to, first, text === undefined ? 68 : 64, why);
      return;
    }
    if (md5(text) === hash) return; // unchanged: nothing is sent
    const wanted = path.replace(/\t/g, ' ');
    const dot = wanted.lastIndexOf('.');
    this.masterFile = (this.masterFile % 9) + 1;
    const name = dot > wanted.lastIndexOf('/') ? `${wanted.slice(0, dot)}.master_id_${this.masterFile}${wanted.slice(dot)}` : `${wanted}.master_id_${this.masterFile}`;
    await this.deps.peer.sendBlocks(to, fileWriteBlocks(name, Buffer.from(text, 'utf8'), this.deps.peer.replyHeader(first), 2));
  }

  /**
   * A `file write` from a peer. Only a new ledger (generic flag 2) for a sync this node runs, into its own ledger
   * folder, is accepted: EdgeLake lets any peer write any path, which a node on a network must not.
   */
  private async receiveFile(message: IncomingMessage, first: Block): Promise<void> {
    const name = first.command.slice('file write '.length).replace(/\t/g, ' ');
    const folder = dirname(resolve(this.file()));
    const target = resolve(name);
    if (first.header.genericFlag !== 2 || !this.config || this.config.source !== 'master' || dirname(target) !== folder) {
      this.deps.output(`TCP server: refused 'file write ${name}' from ${message.remoteIp} (only a ledger this node asked for is written)`);
      return;
    }
    const content = Buffer.concat(message.blocks.map((b) => b.data));
    await this.useNewLedger(content).catch((err: Error) => {
      this.stats.errors++;
      this.deps.output(`Blockchain sync: the ledger from the master was not used: ${err.message}`);
    });
  }

  /** Installs a ledger pulled from the master; local policies it lacks are kept and pushed again. */
  async useNewLedger(content: Buffer): Promise<void> {
    const incoming: Policy[] = [];
    for (const [i, line] of content.toString('utf8').split('\n').entries()) {
      if (!line.trim()) continue;
      try {
        incoming.push(parsePyJson(line) as Policy);
      } catch (err) {
        throw new CommandError(Status.WRONG_JSON, `line ${i + 1} of the master's ledger is not JSON: ${(err as Error).message}`);
      }
    }
    let mine: Policy[];
    let text: string;
    if (this.config?.destFile !== false) {
      // In the ledger's own turn, so that a policy inserted meanwhile is kept (ledger.ts installFromMaster).
      mine = await this.deps.ledger.installFromMaster(incoming);
      text = await readFile(this.file(), 'utf8');
    } else {
      const ids = new Set(incoming.map((p) => String(bodyOf(p).id)));
      mine = (await this.deps.ledger.all()).filter((p) => bodyOf(p).ledger === 'local' && !ids.has(String(bodyOf(p).id)));
      text = content.toString('utf8');
    }
    if (this.config?.destDbms) await this.deps.toTable?.([...incoming, ...mine]);
    for (const p of mine) {
      if (this.config?.connection) {
        const global = { [typeOf(p)]: { ...bodyOf(p), ledger: 'global' } };
        await this.deps.peer.send(this.config.connection, `blockchain push\tignore ${pyJsonDumps(global)}`).catch(() => undefined);
      }
    }
    this.stats.loads++;
    this.stats.ok++;
    this.stats.lastUpdate = Date.now();
    this.stats.version = md5(text);
  }

  /** One sync: ask the master, or (source = dbms) write the file from the table. */
  async syncOnce(): Promise<void> {
    const c = this.config;
    if (!c) return;
    this.stats.calls++;
    try {
      if (c.source === 'dbms') {
        const text = await this.deps.tableText();
        if (text === undefined) throw new Error('no blockchain.ledger table');
        const current = await readFile(this.file(), 'utf8').catch(() => '');
        if (md5(current) !== md5(text)) {
          await mkdir(dirname(this.file()), { recursive: true });
          await writeFile(`${this.file()}.transfer`, text);
          await rename(`${this.file()}.transfer`, this.file());
          await this.deps.ledger.load();
          this.stats.loads++;
          this.stats.lastUpdate = Date.now();
        }
        this.stats.version = md5(text);
        this.stats.ok++;
        return;
      }
      const current = await readFile(this.file()).catch(() => undefined);
      const hash = current ? md5(current) : '0';
      const wanted = join(dirname(resolve(this.file())), 'blockchain.new').replace(/ /g, '\t');
      await this.deps.peer.send(c.connection!, `event get_blockchain ${wanted} ${hash} 0`);
      this.stats.ok++;
    } catch (err) {
      this.stats.errors++;
      this.deps.output(`Blockchain sync: ${(err as Error).message}`);
    }
  }

  async start(config: SyncConfig): Promise<void> {
    if (config.source === 'master' && !config.connection) throw new CommandError(Status.COMMAND_STRUCT, 'source = master needs connection = <master ip:port>');
    if (config.source === 'master' && !this.deps.peer.running) throw new CommandError(Status.SOURCE_IP_PORT, 'TCP server is not running: the master sends the ledger to it (run tcp server where ...)');
    this.stop();
    this.config = config;
    this.timer = setInterval(() => void this.syncOnce(), config.seconds * 1000);
    this.timer.unref?.();
    this.unregister = this.deps.processes.register('Blockchain Sync', {
      running: () => this.config !== undefined,
      details: () => `Sync every ${config.seconds} seconds with ${config.source}${config.connection ? ` using: ${config.connection}` : ''}`,
      stopCommand: 'exit synchronizer',
    });
    await this.syncOnce();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    this.config = undefined;
    this.unregister?.();
    this.unregister = undefined;
  }

  commands(): CommandSpec[] {
    return [
      {
        key: 'run blockchain sync',
        usage: 'run blockchain sync where source = [master/dbms] and time = [time] and dest = [file/dbms] and connection = [ip:port]',
        help: 'Keeps the ledger current: every period asks the master (source = master and connection = ip:port) or, on a master, writes its file from its ledger table (source = dbms). Without options: sync now.',
        maxArgs: 0,
        where: { source: { type: 'str' }, time: { type: 'str' }, dest: { type: 'str', repeat: true }, connection: { type: 'ip.port' }, platform: { type: 'str' } },
        run: async (_ctx, inv) => {
          const o = inv.options as { source?: string; time?: string; dest?: string[]; connection?: string };
          if (o.source === undefined && o.time === undefined) {
            if (!this.config) throw new CommandError(Status.PROCESS_FAILURE, 'The synchronizer is not running (run blockchain sync where source = master and time = 30 seconds and dest = file and connection = ip:port)');
            await this.syncOnce();
            return { code: 0 };
          }
          if (o.source !== 'master' && o.source !== 'dbms') throw new CommandError(Status.COMMAND_STRUCT, `source = ${o.source ?? ''}: use master or dbms`);
          const m = /^(\d+)\s*(second|seconds|minute|minutes|hour|hours)?$/i.exec((o.time ?? '').trim());
          if (!m) throw new CommandError(Status.COMMAND_STRUCT, `time = ${o.time ?? ''}: give a period such as '30 seconds'`);
          const seconds = Number(m[1]) * ({ minute: 60, minutes: 60, hour: 3600, hours: 3600 }[(m[2] ?? 'seconds').toLowerCase()] ?? 1);
          if (seconds < 1) throw new CommandError(Status.COMMAND_STRUCT, 'time: at least 1 second');
          const dest = o.dest ?? ['file'];
          await this.start({ source: o.source, seconds, destFile: dest.includes('file'), destDbms: dest.includes('dbms'), connection: o.connection });
          return { code: 0 };
        },
      },
      {
        key: 'exit synchronizer',
        usage: 'exit synchronizer',
        help: 'Stops the ledger sync.',
        keyOnly: true,
        hidden: true,
        run: () => {
          this.stop();
          return { code: 0 };
        },
      },
      {
        key: 'get synchronizer',
        usage: 'get synchronizer',
        help: 'The ledger sync: source, connection, period, metadata version, calls, loads, policies, successes, errors.',
        keyOnly: true,
        run: async () => {
          const c = this.config;
          const policies = (await this.deps.ledger.all()).length;
          const row = c
            ? ['Running', c.source, c.connection ?? '', c.seconds, this.stats.version, this.stats.lastUpdate ? elapsed(Date.now() - this.stats.lastUpdate) : 'Not updated', this.stats.calls, this.stats.loads, policies, this.stats.ok, this.stats.errors]
            : ['Not declared', '', '', '', '', '', 0, 0, policies, 0, 0];
          return tableResult(['Status', 'Sync\nSource', 'Connection', 'Sync\nTime', 'Metadata Version', 'Time\nSince Update', 'Calls', 'Loads', 'Policies', 'Sync OK', 'Sync Err'], [row]);
        },
      },
    ];
  }
}
