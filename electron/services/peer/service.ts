// The peer network service (peer-protocol.md §3-4, §6.1-6.4): `run tcp server` makes the node a member of the
// network. This module is the lifecycle and the flow of one message: the listener (transport.ts) hands each
// complete message to the router (router.ts); replies to our jobs go to the job registry (jobs.ts); commands no
// handler claims run here and are answered (replies.ts) on a new connection to the address in the request.
// Other services claim their messages with `route()` (ledger sync, the operator's query answers, later HA).
import type { CommandResult, CommandSpec, DictionaryApi } from '../command/types.js';
import { pyJsonDumps } from '../command/format/pyjson.js';
import { tokenize } from '../command/tokenizer.js';
import type { ProcessRegistry } from '../core/processes.js';
import { CommandError, Status, statusText } from '../core/status.js';
import { encodeBlock, fileWriteBlocks, INFO, PAYLOAD_CAPACITY, requestHeader, type Block, type BlockHeader } from './codec.js';
import { peerCommands } from './commands.js';
import { isLocalNetwork, type TcpConfig } from './config.js';
import { JobRegistry, type JobMessage } from './jobs.js';
import { PeerStatus } from './ping.js';
import { replyBlocks } from './replies.js';
import { MessageRouter, type MessageHandler, type Route } from './router.js';
import { PeerListener, sendMessage, type IncomingMessage } from './transport.js';
import { localCommand, printedReply, replyForm, wireCommand } from './wire-text.js';
import type { NodeService } from '../command/service.js';

export { isLocalNetwork, RUN_TCP_SERVER_OPTIONS, tcpConfig, type TcpConfig } from './config.js';
export { localCommand, printedReply, wireCommand } from './wire-text.js';

export interface PeerDeps {
  dictionary: DictionaryApi;
  processes: ProcessRegistry;
  /** `!x` references (resolved on the sender, peer-protocol.md §4.1). */
  resolve(word: string): string | undefined;
  /** Runs a command that came from a peer. */
  execute(text: string): Promise<CommandResult>;
  /** Text the node prints on its own (a reply to a console `run client` that arrives late, a peer's `print`). */
  output(text: string): void;
  /** A peer's message for the echo queue (set echo queue on): true when queued instead of printed. */
  echo?(text: string): boolean;
}

type TextReply = Extract<JobMessage, { kind: 'print' | 'echo' }>;

/** The replies `collect` gathered, by receiver id. */
export interface Collected {
  replies: Map<number, TextReply>;
  failures: Map<number, string>;
}

export class PeerService implements NodeService {
  readonly name = 'peer';
  private config: TcpConfig | undefined;
  private listener: PeerListener | undefined;
  private unregister: (() => void) | undefined;
  readonly router = new MessageRouter();
  readonly jobs = new JobRegistry();
  /** Which peers answer (event metadata_ping / metadata_pong, set servers ping). */
  readonly peers: PeerStatus;
  private largeCounter = 0;
  /** Messages being handled now (get tcp pool's busy flags). */
  private busy = 0;

  constructor(private readonly deps: PeerDeps) {
    // The Processes panel's Start: loopback only, EdgeLake's usual peer port, until the user asks for more.
    deps.processes.setStartCommand('TCP', 'run tcp server where external_ip = 127.0.0.1 and external_port = 32048 and internal_ip = 127.0.0.1 and internal_port = 32048 and bind = true and threads = 6');
    this.router.on({ words: 'file write', flag: 3, owner: 'large messages' }, (m, first) => this.runLarge(m, first));
    this.peers = new PeerStatus(this);
    this.router.on({ words: 'job reply', owner: 'job registry' }, async (m, first) => this.toJob(m, first, { kind: 'job-reply', receiverId: first.header.receiverId, partitionId: first.header.partitionId, from: this.from(m, first), blocks: m.blocks }));
  }

  /** Claims a kind of incoming message for another service (see router.ts); returns the release. */
  route(route: Route, handler: MessageHandler): () => void {
    return this.router.on(route, handler);
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

  /** Counters for `get tcp pool` and the Processes panel. */
  activity(): { connections: number; messages: number; refused: number; awaited: number; dropped: number; busy: number } {
    const l = this.listener;
    return { connections: l?.connections ?? 0, messages: l?.stats.messages ?? 0, refused: l?.stats.rejected ?? 0, awaited: this.jobs.waiting, dropped: this.router.droppedCount, busy: this.busy };
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
    // `!anylog_server_port` follows the server actually started (deployment scripts read it back).
    this.deps.dictionary.set('anylog_server_port', String(config.externalPort));
    this.unregister = this.deps.processes.register('TCP', {
      running: () => this.config !== undefined,
      // EdgeLake always runs 6 workers whatever `threads` says (peer-protocol.md §3.2) and prints that number.
      details: () => `Listening on: ${config.internalIp}:${config.internalPort}, Threads Pool: 6`,
      stopCommand: 'exit tcp server',
      activity: () => {
        if (!this.listener) return '';
        const a = this.activity();
        return `${a.connections} connection${a.connections === 1 ? '' : 's'} open · ${a.messages} messages received · ${a.refused} refused · ${a.awaited} replies awaited${a.dropped ? ` · ${a.dropped} dropped` : ''}`;
      },
    });
  }

  async stop(): Promise<void> {
    const listener = this.listener;
    this.listener = undefined;
    this.config = undefined;
    for (const job of this.jobs.clear()) job.deliver({ kind: 'echo', receiverId: -1, from: '', text: 'the TCP server stopped', error: Status.PROCESS_FAILURE, form: 'echo-data' });
    this.unregister?.();
    this.unregister = undefined;
    await listener?.close();
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

  /** `ip:port` a message came from (a header address of 0.0.0.0 means the connection's IP). */
  private from(message: IncomingMessage, first: Block): string {
    return `${first.header.ip === '0.0.0.0' ? message.remoteIp : first.header.ip}:${first.header.port}`;
  }

  /** A reply for one of our jobs; dropped and counted when the job is gone. */
  private toJob(message: IncomingMessage, first: Block, reply: JobMessage): void {
    const job = this.jobs.get(first.header.jobLocation, first.header.jobId);
    if (!job) {
      this.router.drop(`${first.command.split(/[ \t]/).slice(0, 2).join(' ')} for a job that is gone`);
      return;
    }
    job.deliver(reply);
  }

  /** An incoming message: claimed by a route, a reply to one of our jobs, a peer's print, or a command to run. */
  private async receive(message: IncomingMessage): Promise<void> {
    this.busy++;
    try {
      await this.handle(message);
    } finally {
      this.busy--;
    }
  }

  private async handle(message: IncomingMessage): Promise<void> {
    const first = message.blocks[0]!;
    const claimed = this.router.match(first);
    if (claimed) {
      await claimed.handler(message, first).catch((err: Error) => this.deps.output(`TCP server: '${first.command.slice(0, 60)}' (${claimed.route.owner}) failed: ${err.message}`));
      return;
    }
    const header = first.header;
    const word = first.command.split(/[ \t]/)[0] ?? '';
    if (word === 'print' || word === 'echo') {
      const text = first.data.length > 0 || message.blocks.length > 1 ? message.blocks.map((b) => b.data.toString('utf8')).join('') : first.command.slice(word.length + 1);
      const form = replyForm(word, first);
      const from = this.from(message, first);
      const job = this.jobs.get(header.jobLocation, header.jobId);
      if (job && !job.late) {
        const reply: TextReply = word === 'print' ? { kind: 'print', receiverId: header.receiverId, from, text, json: header.genericFlag === 2, error: header.error, form } : { kind: 'echo', receiverId: header.receiverId, from, text, error: header.error, form };
        job.deliver(reply);
      } else {
        // A peer's own print, or a reply that came after its caller stopped waiting: printed (EdgeLake's console),
        // or kept in the echo queue when it is on.
        if (!this.deps.echo?.(`[From Node ${from}] ${text}`)) this.deps.output(`\r\n${printedReply(from, text, form)}\r\n`);
      }
      return;
    }
    // Messages that are not commands to run: never answered with "not recognized" (the sender did not ask).
    if (word === 'event' || word === 'file' || word === 'job') {
      const what = first.command.split(/[ \t]/).slice(0, 2).join(' ');
      this.router.drop(`${what} not served`);
      if (word === 'file') this.deps.output(`TCP server: refused '${first.command.slice(0, 120)}' (flag ${header.genericFlag}) from ${message.remoteIp}: no service of this node accepts that file`);
      return;
    }
    const command = localCommand(first.command);
    const result = await this.deps.execute(command).catch((err: Error): CommandResult => ({ code: Status.PROCESS_FAILURE, detail: err.message }));
    const reply = replyBlocks(this.replyHeader(first), command, result);
    if (!reply || !this.config) return;
    const target = { ip: header.ip === '0.0.0.0' || header.ip === '' ? message.remoteIp : header.ip, port: header.port };
    await sendMessage(target.ip, target.port, reply).catch((err: Error) => this.deps.output(`TCP server: the reply to '${command}' could not be sent: ${err.message}`));
  }

  /** Sends the command to each destination and waits for their text replies (or the timeout). */
  async collect(destinations: string[], wire: string, timeoutMs: number): Promise<Collected> {
    if (!this.config) throw new CommandError(Status.SOURCE_IP_PORT, 'TCP server is not running: replies come back to it (run tcp server where ...)');
    const large = Buffer.byteLength(wire) > PAYLOAD_CAPACITY;
    const replies = new Map<number, TextReply>();
    const failures = new Map<number, string>();
    let resolve!: () => void;
    const finished = new Promise<void>((r) => (resolve = r));
    const complete = () => replies.size + failures.size >= destinations.length;
    const job = this.jobs.open(destinations, (message) => {
      if (message.kind === 'print' || message.kind === 'echo') {
        if (message.receiverId >= 0) replies.set(message.receiverId, message);
        else resolve(); // the server stopped
      } else this.router.drop(`${message.kind} for a job that expects text`);
      if (complete()) resolve();
    });
    await Promise.all(
      destinations.map(async (dest, receiverId) => {
        const [ip, portText] = dest.split(':') as [string, string];
        const header = requestHeader({ ...this.source(ip), jobLocation: job.slot, jobId: job.id, receivers: destinations.length, receiverId });
        try {
          await this.reach(dest, sendMessage(ip, Number(portText), this.requestBlocks(header, wire)));
          if (large) failures.set(receiverId, `sent as a large message (${Buffer.byteLength(wire)} bytes, more than one block): the peer runs it, but its reply cannot be matched`);
        } catch (err) {
          failures.set(receiverId, (err as Error).message);
        }
      }),
    );
    if (failures.size < destinations.length) {
      const timer = setTimeout(resolve, timeoutMs);
      if (complete()) resolve();
      await finished;
      clearTimeout(timer);
    }
    this.jobs.finish(job, !complete());
    for (let i = 0; i < destinations.length; i++) {
      if (!replies.has(i) && !failures.has(i)) failures.set(i, `no reply within ${timeoutMs / 1000} s (a reply that comes later is printed when it arrives; some commands, such as assignments, answer nothing)`);
    }
    return { replies, failures };
  }

  /** Sends a command that expects no reply (a policy pushed to a master); rejects when the peer cannot be reached. */
  async send(destination: string, wire: string): Promise<void> {
    if (!this.config) throw new CommandError(Status.SOURCE_IP_PORT, 'TCP server is not running (run tcp server where ...)');
    const [ip, portText] = destination.split(':') as [string, string];
    await this.reach(destination, sendMessage(ip, Number(portText), this.requestBlocks(requestHeader(this.source(ip)), wire)));
  }

  /** A send's outcome marks its peer active or not responding (the metadata ping, ping.ts). */
  private async reach(destination: string, sent: Promise<void>): Promise<void> {
    try {
      await sent;
      this.peers.mark(destination, true);
    } catch (err) {
      this.peers.mark(destination, false);
      throw err;
    }
  }

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
    if (!/^cmd\.[^/\\]+\.\d+\.lmsg$/.test(name)) {
      this.router.drop('file write (flag 3) not named as a large message');
      return;
    }
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
    if (all.every((r) => r.kind === 'print' && r.json)) {
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

  /**
   * A real round trip to a peer: `get status` sent over the protocol, its reply read as data (the Network panel's
   * reachability; never a parse of `run client`'s printed text).
   */
  async ping(address: string, timeoutMs = 3000): Promise<{ reachable: boolean; ms: number; detail: string }> {
    const started = Date.now();
    try {
      const { replies, failures } = await this.collect([address], 'get status', timeoutMs);
      const reply = replies.get(0);
      const ms = Date.now() - started;
      if (!reply) return { reachable: false, ms, detail: failures.get(0) ?? 'no reply' };
      const detail = reply.text.trim().replace(/^"|"$/g, '');
      return { reachable: reply.kind === 'print' && reply.error === 0 && /running/.test(detail), ms, detail };
    } catch (err) {
      return { reachable: false, ms: Date.now() - started, detail: (err as Error).message };
    }
  }

  /** `!x` as the sender resolves it. */
  resolveWord(word: string): string | undefined {
    return this.deps.resolve(word);
  }

  commands(): CommandSpec[] {
    return [...peerCommands(this), ...this.peers.commands()];
  }
}
