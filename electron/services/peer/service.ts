// The peer network service (peer-protocol.md §3-4, §6.1-6.4): `run tcp server` makes the node a member of the
// network; incoming commands run here and their replies go, on a new connection, to the address in the request;
// `run client` sends a command to peers and collects their replies by job.
import type { CommandResult, CommandSpec, DictionaryApi, WhereOptions, WhereSchema } from '../command/types.js';
import { pyJsonDumps } from '../command/format/pyjson.js';
import { structDisplay } from '../command/format/struct-print.js';
import { resultText } from '../command/render.js';
import { tokenize, type Token } from '../command/tokenizer.js';
import type { ProcessRegistry } from '../core/processes.js';
import { CommandError, Status, statusText } from '../core/status.js';
import { pyRepr, type PyValue } from '../metadata/policy-id.js';
import { encodeBlock, fileWriteBlocks, INFO, PAYLOAD_CAPACITY, requestHeader, type Block, type BlockHeader } from './codec.js';
import { PeerListener, sendMessage, type IncomingMessage } from './transport.js';

export interface PeerDeps {
  dictionary: DictionaryApi;
  processes: ProcessRegistry;
  /** `!x` references (resolved on the sender, peer-protocol.md §4.1). */
  resolve(word: string): string | undefined;
  /** Runs a command that came from a peer. */
  execute(text: string): Promise<CommandResult>;
  /** Text the node prints on its own (a reply to a console `run client` that arrives late, a peer's `print`). */
  output(text: string): void;
}

export interface TcpConfig {
  externalIp: string;
  externalPort: number;
  internalIp: string;
  internalPort: number;
  bind: boolean;
  threads: number;
}

export const RUN_TCP_SERVER_OPTIONS: WhereSchema = {
  external_ip: { type: 'str' },
  external_port: { type: 'int' },
  internal_ip: { type: 'str' },
  internal_port: { type: 'int' },
  bind: { type: 'bool', default: false },
  threads: { type: 'int', default: 6 },
};

export function tcpConfig(o: WhereOptions): TcpConfig {
  const internalIp = ((o.internal_ip as string | undefined) || (o.external_ip as string | undefined)) ?? '';
  const externalIp = ((o.external_ip as string | undefined) || internalIp) ?? '';
  const internalPort = (o.internal_port as number | undefined) ?? (o.external_port as number | undefined);
  const externalPort = (o.external_port as number | undefined) ?? internalPort;
  if (!internalIp) throw new CommandError(Status.COMMAND_STRUCT, "run tcp server needs an address: 'external_ip = <ip>' or 'internal_ip = <ip>'");
  if (internalPort === undefined || externalPort === undefined) throw new CommandError(Status.COMMAND_STRUCT, "run tcp server needs a port: 'external_port = <port>' or 'internal_port = <port>'");
  for (const p of [internalPort, externalPort]) if (p < 1 || p > 65535) throw new CommandError(Status.COMMAND_STRUCT, `port ${p} is out of range (1-65535)`);
  return { externalIp, externalPort, internalIp, internalPort, bind: o.bind as boolean, threads: o.threads as number };
}

/** peer-protocol.md §3.4: loopback and private ranges get the local address, others the external one. */
export function isLocalNetwork(ip: string): boolean {
  if (/^(10|127)\./.test(ip) || ip.startsWith('192.168.')) return true;
  const [a, b] = ip.split('.').map(Number) as [number, number];
  return (a === 172 && b >= 16 && b <= 31) || (a === 100 && b >= 64 && b <= 127);
}

/** The command as it travels (§4.1): words with spaces are sent with TABs; JSON structures as they are. */
export function wireCommand(tokens: readonly Token[], resolve: (word: string) => string | undefined): string {
  return tokens
    .map((t) => {
      if (!t.quoted && /^[{[]/.test(t.text)) return t.text;
      const value = !t.quoted && t.text.startsWith('!') ? (resolve(t.text) ?? t.text) : t.text;
      return value.replace(/ /g, '\t');
    })
    .join(' ');
}

/** A received command back as our command text: TABs inside a word become spaces (quoted when needed). */
export function localCommand(wire: string): string {
  // `blockchain push<TAB>ignore {...}` (a node re-pushing its local policies after a merge): the TAB separates words.
  wire = wire.replace(/^blockchain push\tignore /, 'blockchain push ignore ');
  return wire
    .split(' ')
    .map((w) => (w.includes('\t') ? `"${w.replace(/\t/g, ' ').replace(/"/g, '\\"')}"` : w))
    .join(' ');
}

type ReplyForm = 'text' | 'json' | 'echo-data' | 'echo-command';

function replyForm(word: string, block: Block): ReplyForm {
  if (word === 'echo') return block.data.length > 0 ? 'echo-data' : 'echo-command';
  return block.header.genericFlag === 2 ? 'json' : 'text';
}

/** A peer's reply as EdgeLake's console prints it (observed on a real node receiving our replies). */
export function printedReply(from: string, text: string, form: ReplyForm): string {
  switch (form) {
    case 'json': {
      let shown = text;
      try {
        shown = structDisplay(JSON.parse(text) as unknown);
      } catch {
        // not JSON after all: as sent
      }
      return `[From Node ${from}] \r\n\r\n${shown}`;
    }
    case 'echo-data':
      return `[From Node ${from}]  \r\n"${text}"`;
    case 'echo-command':
      return `[From Node ${from}] ${text} `;
    default:
      // EdgeLake's struct_print: one line in quotes (cut in pieces of 64), several lines as they are, JSON text as a structure.
      return `[From Node ${from}] \r\n\r\n${structDisplay(text)}`;
  }
}

interface Job {
  id: number;
  slot: number;
  destinations: string[];
  replies: Map<number, { text: string; done: boolean; from: string; json: boolean; error: number; form: ReplyForm }>;
  failures: Map<number, string>;
  resolve: () => void;
  /** The caller stopped waiting: replies that still come are printed as they arrive (EdgeLake's console). */
  late?: boolean;
}

const PRINT_CAPACITY = PAYLOAD_CAPACITY - 'print'.length;

export class PeerService {
  private config: TcpConfig | undefined;
  private listener: PeerListener | undefined;
  private unregister: (() => void) | undefined;
  private readonly jobs = new Map<string, Job>();
  private nextJobId = 1;
  private nextSlot = 1;

  constructor(private readonly deps: PeerDeps) {
    // The Processes panel's Start: loopback only, EdgeLake's usual peer port, until the user asks for more.
    deps.processes.setStartCommand('TCP', 'run tcp server where external_ip = 127.0.0.1 and external_port = 32048 and internal_ip = 127.0.0.1 and internal_port = 32048 and bind = true and threads = 6');
  }

  /** Connections the listener holds open now (tests check that none leaks). */
  openConnections(): number {
    return this.listener?.connections ?? 0;
  }

  get running(): boolean {
    return this.config !== undefined;
  }

  /** `ip:port` this node is known by (EdgeLake records the internal port for the external address too). */
  address(): string | undefined {
    const c = this.config;
    if (!c) return undefined;
    return c.bind ? `${c.internalIp}:${c.internalPort}` : `${c.externalIp}:${c.internalPort}`;
  }

  endpoint(): { external: string; internal: string; bind: string } | undefined {
    const c = this.config;
    if (!c) return undefined;
    const internal = `${c.internalIp}:${c.internalPort}`;
    return { external: c.bind ? internal : `${c.externalIp}:${c.internalPort}`, internal, bind: c.bind ? internal : `0.0.0.0:${c.internalPort}` };
  }

  /** The reply address written into outgoing headers for a destination. */
  private source(destIp: string): { ip: string; port: number } {
    const c = this.config!;
    return isLocalNetwork(destIp) || c.bind ? { ip: c.internalIp, port: c.internalPort } : { ip: c.externalIp, port: c.internalPort };
  }

  async start(config: TcpConfig): Promise<void> {
    if (this.config) throw new CommandError(Status.PROCESS_ALREADY_RUNNING, `The TCP server is already running on ${this.address()} (exit tcp server first)`);
    const listener = new PeerListener((m) => void this.receive(m), { onProblem: (reason, remote) => this.deps.output(`TCP server: ${remote}: ${reason}`) });
    try {
      await listener.listen(config.bind ? config.internalIp : undefined, config.internalPort);
    } catch (err) {
      throw new CommandError(Status.PROCESS_FAILURE, `The TCP server cannot listen on ${config.bind ? config.internalIp : '*'}:${config.internalPort}: ${(err as Error).message}`);
    }
    this.listener = listener;
    this.config = config;
    this.unregister = this.deps.processes.register('TCP', {
      running: () => this.config !== undefined,
      // EdgeLake always runs 6 workers whatever `threads` says (peer-protocol.md §3.2) and prints that number.
      details: () => `Listening on: ${config.internalIp}:${config.internalPort}, Threads Pool: 6`,
      stopCommand: 'exit tcp server',
      activity: () => {
        const l = this.listener;
        return l ? `${l.connections} connection${l.connections === 1 ? '' : 's'} open · ${l.stats.messages} messages received · ${l.stats.rejected} refused · ${this.jobs.size} replies awaited` : '';
      },
    });
  }

  async stop(): Promise<void> {
    const listener = this.listener;
    this.listener = undefined;
    this.config = undefined;
    for (const job of this.jobs.values()) job.resolve();
    this.jobs.clear();
    this.unregister?.();
    this.unregister = undefined;
    await listener?.close();
  }

  private readonly handlers: [string, (message: IncomingMessage, first: Block) => Promise<void>][] = [];

  /** Messages whose command starts with `prefix` go to `handler` instead of running as commands (sync, files). */
  handle(prefix: string, handler: (message: IncomingMessage, first: Block) => Promise<void>): void {
    this.handlers.push([prefix, handler]);
  }

  /** The header of a reply to `request`: its job fields, our address. */
  replyHeader(request: Block): BlockHeader {
    return { ...request.header, ...this.source(request.header.ip), infoType: INFO.command, error: 0, blockCounter: 1, last: true, dataStruct: 0, segmentCount: 0, genericFlag: 1 };
  }

  async sendBlocks(to: { ip: string; port: number }, blocks: Buffer[]): Promise<void> {
    await sendMessage(to.ip, to.port, blocks).catch((err: Error) => this.deps.output(`TCP server: ${err.message}`));
  }

  /** An `echo` error reply (§6.3). */
  async sendEcho(to: { ip: string; port: number }, request: Block, code: number, detail: string): Promise<void> {
    await this.sendBlocks(to, [encodeBlock({ ...this.replyHeader(request), error: code }, 'echo', Buffer.from(detail || statusText(code)))]);
  }

  /** An incoming message: a reply to one of our jobs, a peer's print, or a command to run and answer. */
  private async receive(message: IncomingMessage): Promise<void> {
    const first = message.blocks[0]!;
    const header = first.header;
    if (first.command.startsWith('file write ') && header.genericFlag === 3) {
      await this.runLarge(message, first).catch((err: Error) => this.deps.output(`TCP server: a large message failed: ${err.message}`));
      return;
    }
    const handler = this.handlers.find(([prefix]) => first.command.startsWith(prefix));
    if (handler) {
      await handler[1](message, first).catch((err: Error) => this.deps.output(`TCP server: '${first.command.slice(0, 60)}' failed: ${err.message}`));
      return;
    }
    const from = `${header.ip === '0.0.0.0' ? message.remoteIp : header.ip}:${header.port}`;
    const word = first.command.split(/[ \t]/)[0];
    if (word === 'print' || word === 'echo') {
      const text = first.data.length > 0 || message.blocks.length > 1 ? message.blocks.map((b) => b.data.toString('utf8')).join('') : first.command.slice(word.length + 1);
      const job = this.jobs.get(`${header.jobLocation}/${header.jobId}`);
      if (job && header.jobId !== 0 && !job.late) {
        job.replies.set(header.receiverId, { text, done: true, from, json: header.genericFlag === 2, error: header.error, form: replyForm(word, first) });
        if (job.replies.size + job.failures.size >= job.destinations.length) job.resolve();
      } else {
        this.deps.output(`\r\n${printedReply(from, text, replyForm(word, first))}\r\n`);
      }
      return;
    }
    const command = localCommand(first.command);
    const result = await this.deps.execute(command).catch((err: Error): CommandResult => ({ code: Status.PROCESS_FAILURE, detail: err.message }));
    const reply = this.replyFor(first, command, result);
    if (!reply || !this.config) return;
    const target = { ip: header.ip === '0.0.0.0' || header.ip === '' ? message.remoteIp : header.ip, port: header.port };
    await sendMessage(target.ip, target.port, reply).catch((err: Error) => this.deps.output(`TCP server: the reply to '${command}' could not be sent: ${err.message}`));
  }

  /** The reply EdgeLake sends for a command's result (§4.3, §6.3), or none. */
  private replyFor(request: Block, command: string, result: CommandResult): Buffer[] | undefined {
    const base: BlockHeader = { ...request.header, ...this.source(request.header.ip), infoType: INFO.command, error: 0, blockCounter: 1, last: true, dataStruct: 0, segmentCount: 0, genericFlag: 1 };
    const echo = (text: string, code: number, data = '', infoType: number = INFO.command) => [encodeBlock({ ...base, error: code, infoType, genericFlag: data ? 1 : 0 }, text.slice(0, PAYLOAD_CAPACITY - Buffer.byteLength(data)), Buffer.from(data))];
    // EdgeLake's spelling (sic), the command in the echo, no data.
    if (result.code === Status.UNRECOGNIZED || result.code === Status.NOT_IN_COMMANDS) return echo(`echo Command '${command}' not recoginzed`, Status.UNRECOGNIZED);
    if (result.code !== 0) {
      if (command.startsWith('blockchain ')) {
        const sub = command.split(' ')[1] ?? '';
        return echo(`echo Blockchain message '${sub}' failed`, result.code, result.detail ?? '', INFO.tableStruct);
      }
      return echo('echo', result.code, statusText(result.code));
    }
    let text: string;
    let json = false;
    const output = result.output;
    if (output?.kind === 'json' && command.startsWith('blockchain get')) {
      // EdgeLake answers `blockchain get` with Python's text of the list, flagged as text (§4.3).
      text = Array.isArray(output.value) && output.value.length === 0 ? '' : pyRepr(output.value as PyValue);
    } else {
      text = resultText(result);
      json = output?.kind === 'json';
      if (output?.kind === 'json' && typeof output.value !== 'string') text = pyJsonDumps(output.value);
    }
    if (!text) return undefined;
    const data = Buffer.from(text, 'utf8');
    const blocks: Buffer[] = [];
    for (let at = 0, n = 1; at < data.length || n === 1; at += PRINT_CAPACITY, n++) {
      const piece = data.subarray(at, at + PRINT_CAPACITY);
      blocks.push(encodeBlock({ ...base, blockCounter: n, last: at + PRINT_CAPACITY >= data.length, genericFlag: json ? 2 : 1 }, 'print', piece));
      if (at + PRINT_CAPACITY >= data.length) break;
    }
    return blocks;
  }

  /** Sends the command to each destination and waits for their replies (or the timeout). */
  private async collect(destinations: string[], wire: string, timeoutMs: number): Promise<{ replies: Job['replies']; failures: Map<number, string> }> {
    if (!this.config) throw new CommandError(21, 'TCP server is not running: replies come back to it (run tcp server where ...)');
    const large = Buffer.byteLength(wire) > PAYLOAD_CAPACITY;
    const slot = this.nextSlot;
    this.nextSlot = (this.nextSlot % 499) + 1;
    const id = this.nextJobId;
    this.nextJobId = (this.nextJobId % 99_999_999) + 1;
    let resolve!: () => void;
    const finished = new Promise<void>((r) => (resolve = r));
    const job: Job = { id, slot, destinations, replies: new Map(), failures: new Map(), resolve };
    this.jobs.set(`${slot}/${id}`, job);
    await Promise.all(
      destinations.map(async (dest, receiverId) => {
        const [ip, portText] = dest.split(':') as [string, string];
        const header = requestHeader({ ...this.source(ip), jobLocation: slot, jobId: id, receivers: destinations.length, receiverId });
        try {
          await sendMessage(ip, Number(portText), this.requestBlocks(header, wire));
          if (large) job.failures.set(receiverId, `sent as a large message (${Buffer.byteLength(wire)} bytes, more than one block): the peer runs it, but its reply cannot be matched`);
        } catch (err) {
          job.failures.set(receiverId, (err as Error).message);
        }
      }),
    );
    if (job.failures.size < destinations.length) {
      const timer = setTimeout(resolve, timeoutMs);
      if (job.replies.size + job.failures.size >= destinations.length) resolve();
      await finished;
      clearTimeout(timer);
    }
    if (job.replies.size + job.failures.size < destinations.length) {
      job.late = true;
      setTimeout(() => this.jobs.delete(`${slot}/${id}`), 60_000).unref();
    } else this.jobs.delete(`${slot}/${id}`);
    for (let i = 0; i < destinations.length; i++) {
      if (!job.replies.has(i) && !job.failures.has(i)) job.failures.set(i, `no reply within ${timeoutMs / 1000} s (a reply that comes later is printed when it arrives; some commands, such as assignments, answer nothing)`);
    }
    return { replies: job.replies, failures: job.failures };
  }

  /** Sends a command that expects no reply (a policy pushed to a master); rejects when the peer cannot be reached. */
  async send(destination: string, wire: string): Promise<void> {
    if (!this.config) throw new CommandError(21, 'TCP server is not running (run tcp server where ...)');
    const [ip, portText] = destination.split(':') as [string, string];
    await sendMessage(ip, Number(portText), this.requestBlocks(requestHeader(this.source(ip)), wire));
  }

  private largeCounter = 0;

  /**
   * A request's blocks: one block, or — when the command does not fit one (§5.4) — a "large message": the command
   * sent as the file `cmd.<our ip>.<n>.lmsg` (generic flag 3) that the receiver runs. Its job identity is lost on the
   * way (EdgeLake's rule), so a reply to it cannot be matched.
   */
  private requestBlocks(header: BlockHeader, wire: string): Buffer[] {
    if (Buffer.byteLength(wire) <= PAYLOAD_CAPACITY) return [encodeBlock(header, wire)];
    this.largeCounter = (this.largeCounter % 100) + 1;
    return fileWriteBlocks(`cmd.${this.config!.externalIp}.${this.largeCounter}.lmsg`, Buffer.from(wire, 'utf8'), header, 3);
  }

  /** A large message from a peer: the command it carries runs here (no file is written, nothing is answered). */
  private async runLarge(message: IncomingMessage, first: Block): Promise<void> {
    const name = first.command.slice('file write '.length);
    if (first.header.genericFlag !== 3 || !/^cmd\.[^/\\]+\.\d+\.lmsg$/.test(name)) return;
    const text = Buffer.concat(message.blocks.map((b) => b.data)).toString('utf8');
    const result = await this.deps.execute(localCommand(text));
    if (result.code !== 0) this.deps.output(`TCP server: the large message from ${message.remoteIp} failed: ${statusText(result.code)}${result.detail ? ` (${result.detail})` : ''}`);
  }

  /** `run client` at the console: per peer `[From Node ip:port]` and its text, as EdgeLake prints them. */
  async runClient(destinations: string[], wire: string, timeoutMs: number): Promise<CommandResult> {
    const { replies, failures } = await this.collect(destinations, wire, timeoutMs);
    const parts = destinations.map((dest, i) => {
      const r = replies.get(i);
      return r ? printedReply(r.from, r.text, r.form) : `[From Node ${dest}]\r\n${failures.get(i)}`;
    });
    if (replies.size === 0 && [...failures.values()].every((f) => !f.startsWith('no reply'))) {
      return { code: Status.NETWORK_CONNECTION_FAILED, detail: parts.join('\r\n') };
    }
    return { code: 0, output: { kind: 'text', text: `\r\n${parts.join('\r\n\r\n')}\r\n` } };
  }

  /**
   * A REST request with a `destination` header (peer-protocol.md §6.4): the command runs on the peers and the body
   * is their replies — JSON replies as one object keyed by `ip:port`, text as `[From Node ip:port] text` lines.
   */
  async forward(destinations: string[], commandText: string, timeoutMs: number): Promise<string> {
    const { replies, failures } = await this.collect(destinations, wireCommand(tokenize(commandText), (w) => this.deps.resolve(w)), timeoutMs);
    if (replies.size === 0) throw new CommandError(Status.NETWORK_CONNECTION_FAILED, [...failures.values()].join('; '));
    const all = [...replies.values()];
    if (all.every((r) => r.json)) {
      const out: Record<string, unknown> = {};
      for (const r of all) {
        try {
          out[r.from] = JSON.parse(r.text) as unknown;
        } catch {
          out[r.from] = r.text;
        }
      }
      return pyJsonDumps(out);
    }
    return `\r\n${destinations.map((d, i) => `[From Node ${replies.get(i)?.from ?? d}] ${replies.get(i)?.text ?? failures.get(i)}\r\n`).join('')}`;
  }

  commands(): CommandSpec[] {
    const text = (t: string): CommandResult => ({ code: 0, output: { kind: 'text', text: t } });
    return [
      {
        key: 'run tcp server',
        usage: 'run tcp server where external_ip = [ip] and external_port = [port] and internal_ip = [local_ip] and internal_port = [local_port] and bind = [true/false] and threads = [threads count]',
        help: 'Starts the peer listener: the node joins the network (run client, replies, metadata sync).',
        maxArgs: 0,
        where: RUN_TCP_SERVER_OPTIONS,
        run: async (_ctx, inv) => {
          await this.start(tcpConfig(inv.options));
          return { code: 0 };
        },
      },
      {
        key: 'exit tcp server',
        usage: 'exit tcp server',
        help: 'Stops the peer listener.',
        keyOnly: true,
        hidden: true,
        run: async () => {
          await this.stop();
          return { code: 0 };
        },
      },
      {
        key: 'run client',
        usage: 'run client [IP:Port or (IP:Port, IP:Port ...)] [command]',
        help: 'Runs a command on one or more peers and prints their replies: run client 10.0.0.5:32048 get status, run client (10.0.0.5:32048, 10.0.0.6:32048) get status',
        raw: true,
        run: async (ctx, inv) => {
          const [first, second, ...rest] = inv.tokens;
          if (!first) throw new CommandError(Status.COMMAND_STRUCT, 'usage: run client <ip:port | (ip:port, ...)> <command>');
          let destinations: string[];
          let commandTokens = [second, ...rest].filter((t) => t !== undefined);
          const resolve = (w: string) => this.deps.resolve(w) ?? w;
          if (/^\(\s*blockchain get /s.test(first.text)) {
            // Destinations from the ledger: run client (blockchain get operator bring.ip_port) get status
            const inner = first.text.slice(1, -1).trim();
            const listed = await ctx.execute(/ bring/.test(inner) ? inner : `${inner} bring.ip_port`, inv.source);
            if (listed.code !== 0) return listed;
            destinations = resultText(listed).split(/[,\s]+/).filter(Boolean);
            if (destinations.length === 0) throw new CommandError(Status.FAILED_TO_DETERMINE_DEST, `'${inner}' names no node`);
          } else if (/^\(.*\)$/s.test(first.text)) destinations = first.text.slice(1, -1).split(',').map((d) => resolve(d.trim())).filter(Boolean);
          else if (second && /^\d+$/.test(second.text) && !first.text.includes(':')) {
            destinations = [`${resolve(first.text)}:${second.text}`];
            commandTokens = rest;
          } else destinations = [resolve(first.text)];
          for (const d of destinations) if (!/^[^\s:]+:\d{1,5}$/.test(d)) throw new CommandError(Status.COMMAND_STRUCT, `'${d}' is not an ip:port destination`);
          if (commandTokens.length === 0) throw new CommandError(Status.COMMAND_STRUCT, 'run client: no command to send');
          // At the console replies usually arrive in milliseconds; a program (REST, `x = run client ...`) waits longer.
          const wait = inv.source === 'cli' || inv.source === 'console' ? 3_000 : 20_000;
          return this.runClient(destinations, wireCommand(commandTokens, (w) => this.deps.resolve(w)), wait);
        },
      },
      {
        key: 'get tcp pool',
        usage: 'get tcp pool',
        help: 'The TCP server workers.',
        keyOnly: true,
        run: () => text(this.config ? `TCP server: ${this.address()}, ${this.listener?.connections ?? 0} connections open, ${this.listener?.stats.messages ?? 0} messages received` : 'TCP server not running'),
      },
    ];
  }
}
