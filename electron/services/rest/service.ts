// The REST server (rest-api.md): one command of the command language per request, from the `command` header (or
// the URL, or a POST body), run exactly as the console would and answered with the text the console would print.
// Lifecycle: `run rest server` starts it, `exit rest` / node stop closes it and every open socket at once, so
// the port can be bound again immediately (EdgeLake keeps it blocked ~60 s after stop: a bug we do not copy).
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { formatTable } from '../command/format/table.js';
import { renderRest } from '../command/render.js';
import type { CommandResult, CommandSource, CommandSpec, DictionaryApi } from '../command/types.js';
import type { ProcessRegistry } from '../core/processes.js';
import { CommandError, Status, statusText } from '../core/status.js';
import { agentProduct, isCorrectMethod } from './methods.js';
import { CORS_HEADERS, errorJson, send, SERVER_NAME } from './responses.js';
import { RestStats } from './stats.js';
import { tokenize } from '../command/tokenizer.js';

export interface RestDeps {
  execute(text: string, source: CommandSource): Promise<CommandResult>;
  processes: ProcessRegistry;
  dictionary: DictionaryApi;
}

export interface RestConfig {
  externalIp: string;
  externalPort: number;
  internalIp: string;
  internalPort: number;
  bind: boolean;
  timeout: number;
  threads: number;
  ssl: boolean;
}

export const DEFAULT_REST_START =
  'run rest server where external_ip = 127.0.0.1 and external_port = 32149 and internal_ip = 127.0.0.1 and internal_port = 32149 and bind = true and timeout = 20';

interface Running {
  server: Server;
  sockets: Set<Socket>;
  config: RestConfig;
  stats: RestStats;
}

const SERVER_OPTIONS = {
  external_ip: { type: 'str', required: true },
  external_port: { type: 'int', required: true },
  internal_ip: { type: 'str' },
  internal_port: { type: 'int' },
  bind: { type: 'bool', default: false },
  timeout: { type: 'int', default: 20 },
  threads: { type: 'int', default: 5 },
  ssl: { type: 'bool', default: false },
  ca_org: { type: 'str' },
  server_org: { type: 'str' },
} as const;

export class RestService {
  private running: Running | undefined;
  private unregister: (() => void) | undefined;

  constructor(private readonly deps: RestDeps) {
    deps.processes.setStartCommand('REST', DEFAULT_REST_START);
  }

  addresses(): { external: string; internal: string; bind: string } | undefined {
    const c = this.running?.config;
    if (!c) return undefined;
    const internal = `${c.internalIp}:${c.internalPort}`;
    return { external: `${c.externalIp}:${c.externalPort}`, internal, bind: c.bind ? internal : `0.0.0.0:${c.internalPort}` };
  }

  get config(): RestConfig | undefined {
    return this.running?.config;
  }

  async start(config: RestConfig): Promise<void> {
    if (this.running) throw new CommandError(Status.PROCESS_ALREADY_RUNNING, `REST server already listening on ${this.addresses()!.internal}`);
    if (config.ssl) {
      throw new CommandError(Status.COMMAND_STRUCT, 'ssl = true needs certificates (ca_org, server_org), which this node does not manage yet; start without ssl');
    }
    const sockets = new Set<Socket>();
    const stats = new RestStats();
    const running: Running = { server: createServer(), sockets, config, stats };
    running.server.on('connection', (socket) => {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
    });
    running.server.on('request', (req, res) => void this.handle(running, req, res));
    const host = config.bind ? config.internalIp : undefined;
    await new Promise<void>((resolve, reject) => {
      running.server.once('error', (err: NodeJS.ErrnoException) => {
        const where = `${host ?? '0.0.0.0'}:${config.internalPort}`;
        reject(new CommandError(Status.PROCESS_FAILURE, err.code === 'EADDRINUSE' ? `Address ${where} is already in use` : `Cannot listen on ${where}: ${err.message}`));
      });
      running.server.listen({ port: config.internalPort, host, exclusive: true }, resolve);
    });
    this.running = running;
    this.unregister = this.deps.processes.register('REST', {
      running: () => this.running !== undefined,
      details: () => `Listening on: ${config.externalIp}:${config.externalPort}, Threads Pool: ${config.threads}, Timeout: ${config.timeout}, SSL: ${config.ssl ? 'True' : 'False'}`,
      stopCommand: 'exit rest',
    });
  }

  /** Closes the listener and every open connection; idempotent. */
  async stop(): Promise<void> {
    const running = this.running;
    if (!running) return;
    this.running = undefined;
    const closed = new Promise<void>((r) => running.server.close(() => r()));
    for (const socket of running.sockets) socket.destroy();
    await closed;
    this.unregister?.();
    this.unregister = undefined;
  }

  private async handle(running: Running, req: IncomingMessage, res: ServerResponse): Promise<void> {
    const from = `${req.socket.remoteAddress?.replace(/^::ffff:/, '') ?? ''}:${req.socket.remotePort ?? ''}`;
    const verb = (req.method ?? 'GET').toUpperCase();
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(req.headers)) if (typeof v === 'string') headers[k.toLowerCase()] = v.trim();
    let caller = 'AnyLog-V1';
    const record = (error?: string) => running.stats.record(caller, verb, from, error);

    try {
      if (verb === 'OPTIONS') {
        // CORS preflight, headers in EdgeLake's order (transcripts/rest-errors.txt).
        res.writeHead(204, 'No Content', [
          ['Server', SERVER_NAME],
          ['Date', new Date().toUTCString()],
          ['Access-Control-Allow-Origin', '*'],
          ['Access-Control-Allow-Methods', 'GET, POST, PUT, DELETE, HEAD, OPTIONS'],
          ['Access-Control-Allow-Headers', headers['access-control-request-headers'] ?? CORS_HEADERS],
          ['Access-Control-Expose-Headers', '*'],
          ['Access-Control-Max-Age', '86400'],
          ['Content-Length', '0'],
          ['Connection', 'close'],
        ].flat());
        res.end();
        return;
      }
      if (verb === 'HEAD') return send(res, { status: 501, reason: 'HEAD NOT SUPPORTED', contentType: 'text/json' });
      if (verb === 'DELETE') return send(res, { status: 501, reason: 'DELETE NOT SUPPORTED', contentType: 'text/json', chunked: true });
      if (verb !== 'GET' && verb !== 'POST') {
        record(`${verb} not supported`);
        return send(res, { status: 501, reason: `${verb} NOT SUPPORTED`, contentType: 'text/json' });
      }

      const path = req.url ?? '/';
      if (verb === 'GET' && path === '/health') {
        return send(res, { status: 200, contentType: 'application/json', body: `{"status": "healthy", "service": "anylog-rest-server", "timestamp": ${Date.now() / 1000}}` });
      }
      if (verb === 'GET' && path === '/api/status') return send(res, { status: 200, contentType: 'application/json', body: '{"status": "ok"}' });
      // URL form: GET /?User-Agent=AnyLog/1.23?command=get%20status — `?`-separated pairs become headers.
      if (verb === 'GET' && path.includes('?')) {
        caller = 'url';
        for (const pair of path.split('?').slice(1)) {
          const eq = pair.indexOf('=');
          if (eq > 0) headers[decodeURIComponent(pair.slice(0, eq)).toLowerCase()] = decodeURIComponent(pair.slice(eq + 1).replace(/\+/g, ' ')).trim();
        }
      }
      const body = verb === 'POST' ? await readBody(req) : '';
      if (verb === 'POST' && !headers.command && body.trim().startsWith('{')) {
        // A POST whose body is a JSON object of headers is treated as a GET with those headers (observed).
        try {
          const obj = JSON.parse(body) as Record<string, unknown>;
          for (const [k, v] of Object.entries(obj)) if (typeof v === 'string') headers[k.toLowerCase()] = v.trim();
          return this.runCommand(running, res, 'get', headers, '', from, caller === 'url' ? caller : undefined, (c) => (caller = c));
        } catch {
          // not a header object: falls through to the usual checks
        }
      }
      return this.runCommand(running, res, verb === 'GET' ? 'get' : 'post', headers, body, from, caller === 'url' ? caller : undefined, (c) => (caller = c));
    } catch (err) {
      record(err instanceof Error ? err.message : String(err));
      if (!res.headersSent) send(res, { status: 500, reason: 'Internal Server Error', contentType: 'text', body: err instanceof Error ? err.message : String(err) });
    }
  }

  private async runCommand(
    running: Running,
    res: ServerResponse,
    method: 'get' | 'post',
    headers: Record<string, string>,
    body: string,
    from: string,
    fixedCaller: string | undefined,
    setCaller: (c: string) => void,
  ): Promise<void> {
    const node = running.config.externalIp;
    const agent = headers['anylog-agent'] ?? headers['user-agent'];
    let product = agentProduct(agent);
    if (product === 'curl') product = 'anylog';
    const caller = fixedCaller ?? (product === 'anylog' ? 'anylog' : 'AnyLog-V1');
    setCaller(caller);
    const record = (error?: string) => running.stats.record(caller, method.toUpperCase(), from, error);

    if (product !== 'anylog') {
      if (method === 'get') {
        record();
        return send(res, { status: 200, contentType: 'text/json', chunked: true }); // the ping answer
      }
      record('Unknown user agent');
      const reason = `{"Error" : "HTTP server received POST message from unknown 'User-Agent': 'None'", "Source" : "${from.split(':')[0]}"}`;
      return send(res, { status: 400, reason, contentType: 'text/json' });
    }
    let command = headers.command;
    if (!command && agentProduct(agent) === 'curl' && method === 'get') command = 'get status';
    if (!command) {
      if (method === 'get') {
        record();
        return send(res, { status: 200, contentType: 'text/json', chunked: true });
      }
      record('Missing command');
      return send(res, { status: 400, reason: 'Bad Request', contentType: 'text', body: "Missing 'command' attribute in header" });
    }
    if (command === 'body') {
      command = body.trim();
      body = '';
    }
    let words: string[];
    try {
      words = tokenize(command).map((t) => t.text);
    } catch {
      words = command.split(/\s+/);
    }
    if (!isCorrectMethod(method, words)) {
      record(statusText(Status.WRONG_HTTP_METHOD));
      return send(res, { status: 400, reason: 'Bad Request', contentType: 'json', body: errorJson(method, node, Status.WRONG_HTTP_METHOD, statusText(Status.WRONG_HTTP_METHOD)) });
    }
    const fail = (code: number, localMsg?: string) => {
      const json = errorJson(method, node, code, statusText(code), localMsg);
      record(statusText(code));
      send(res, { status: 400, reason: errorJson(method, node, code, statusText(code)), contentType: 'text/json', body: json });
    };
    const destination = headers.destination;
    if (destination && destination.toLowerCase() !== 'local') {
      return fail(
        destination.toLowerCase() === 'network' ? Status.FAILED_TO_DETERMINE_DEST : Status.NETWORK_CONNECTION_FAILED,
        `destination '${destination}': this node does not route commands to peers yet (the TCP peer protocol is not running)`,
      );
    }

    // Commands in the POST body run first, one per line or <...> block (rest-api.md §5). EdgeLake runs only the
    // first character of a last line that has no newline; we run the whole line.
    if (body.trim()) {
      const bodyCommands = bodyLines(body);
      for (const [i, cmd] of bodyCommands.entries()) {
        const r = await this.deps.execute(cmd, 'rest');
        if (r.code !== Status.SUCCESS) return fail(r.code, `Error with command #${i + 1} in the message body: '${cmd}'${r.detail ? `: ${r.detail}` : ''}`);
      }
    }

    const timeoutSeconds = parseTimeout(headers.timeout) ?? running.config.timeout;
    const result = await withTimeout(this.deps.execute(command, 'rest'), timeoutSeconds);
    if (result === 'timeout') return fail(Status.TIMEOUT, `No reply within ${timeoutSeconds} seconds`);
    if (result.code !== Status.SUCCESS) return fail(result.code, result.detail);

    const assignment = headers.assignment;
    const rendered = renderRest(result);
    if (assignment) {
      this.deps.dictionary.set(assignment, rendered.body);
      record();
      return send(res, { status: 200, contentType: 'text/json', chunked: true });
    }
    record();
    if (!rendered.body) {
      return method === 'get' ? send(res, { status: 200, contentType: 'text/json', chunked: true }) : send(res, { status: 200, contentType: 'text' });
    }
    const isQuery = words[0] === 'sql';
    send(res, { status: 200, contentType: rendered.contentType, body: rendered.body, chunked: isQuery });
  }

  commands(): CommandSpec[] {
    const info = (): Running => {
      if (!this.running) throw new CommandError(Status.PROCESS_FAILURE, 'REST server is not running (start it with run rest server)');
      return this.running;
    };
    const url = (r: Running) => `http://${r.config.externalIp}:${r.config.externalPort}`;
    return [
      {
        key: 'run rest server',
        usage:
          'run rest server where external_ip = [external_ip ip] and external_port = [external port] and internal_ip = [internal ip] and internal_port = [internal port] and timeout = [timeout] and ssl = [true/false] and bind = [true/false]',
        help: 'Starts the REST server. timeout is the default wait for replies (0 = no limit); bind = true listens on the internal ip only.',
        maxArgs: 0,
        where: SERVER_OPTIONS,
        method: 'POST',
        run: async (_ctx, inv) => {
          const o = inv.options;
          const port = (key: string) => {
            const v = o[key] as number;
            if (v < 1 || v > 65535) throw new CommandError(Status.COMMAND_STRUCT, `${key} = ${v} is not a port number (1-65535)`);
            return v;
          };
          const externalPort = port('external_port');
          await this.start({
            externalIp: o.external_ip as string,
            externalPort,
            internalIp: (o.internal_ip as string | undefined) ?? (o.external_ip as string),
            internalPort: o.internal_port === undefined ? externalPort : port('internal_port'),
            bind: o.bind as boolean,
            timeout: o.timeout as number,
            threads: o.threads as number,
            ssl: o.ssl as boolean,
          });
          return { code: 0 };
        },
      },
      {
        key: 'exit rest',
        usage: 'exit rest',
        help: 'Stops the REST server.',
        keyOnly: true,
        run: async () => {
          await this.stop();
          return { code: 0 };
        },
      },
      {
        key: 'get rest calls',
        usage: 'get rest calls',
        help: 'Statistics of the REST calls per caller and HTTP verb.',
        keyOnly: true,
        run: () => {
          const r = info();
          return { code: 0, output: { kind: 'text', text: r.stats.table(url(r)) } };
        },
      },
      {
        key: 'get rest server info',
        usage: 'get rest server info',
        help: 'The configuration of the REST server.',
        keyOnly: true,
        run: () => {
          const r = info();
          const c = r.config;
          const rows: [string, string][] = [
            ['buff_size', '2048'],
            ['ca_public_key', 'None'],
            ['connection', url(r)],
            ['is_bind', c.bind ? 'True' : 'False'],
            ['is_ssl', c.ssl ? 'True' : 'False'],
            ['node_cr', 'None'],
            ['node_private_key', 'None'],
            ['streaming_log', 'False'],
            ['timeout', String(c.timeout)],
            ['trace', 'False'],
            ['workers_count', String(c.threads)],
          ];
          // EdgeLake pads values with one space on each side in this table (transcripts/get-rest-server-info.txt).
          return { code: 0, output: { kind: 'text', text: formatTable(['Attribute', 'Value'], rows.map(([k, v]) => [k, ` ${v} `])) } };
        },
      },
      {
        key: 'get rest pool',
        usage: 'get rest pool',
        help: 'The REST worker pool and the number of requests served.',
        keyOnly: true,
        run: () => {
          const r = info();
          const threads = `[${Array<string>(r.config.threads).fill('0').join(', ')}]`;
          return { code: 0, output: { kind: 'text', text: `REST Pool with ${r.config.threads} threads:`.padEnd(60) + `${threads} (${r.stats.total})` } };
        },
      },
      {
        key: 'set rest timeout',
        usage: 'set rest timeout [time] [seconds/minutes]',
        help: 'Changes how long the REST server waits for a reply (0 = no limit).',
        minArgs: 1,
        maxArgs: 2,
        run: (_ctx, inv) => {
          const r = info();
          const seconds = parseTimeout(inv.args.join(' '));
          if (seconds === undefined) throw new CommandError(Status.COMMAND_STRUCT, `'${inv.args.join(' ')}' is not a time (e.g. 30 seconds)`);
          r.config = { ...r.config, timeout: seconds };
          this.deps.processes.changed();
          return { code: 0 };
        },
      },
    ];
  }
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('latin1')));
    req.on('error', reject);
  });
}

/** Body commands: one per line, `<...>` blocks joined. */
function bodyLines(body: string): string[] {
  const out: string[] = [];
  let block: string[] | undefined;
  for (const raw of body.split(/\r?\n/)) {
    const line = raw.trim();
    if (!line && !block) continue;
    if (!block && line.startsWith('<')) block = [];
    if (block) {
      block.push(line);
      if (line.endsWith('>')) {
        out.push(block.join(' ').slice(1, -1).trim());
        block = undefined;
      }
    } else out.push(line);
  }
  if (block) out.push(block.join(' ').replace(/^</, '').trim());
  return out;
}

/** `20`, `20 seconds`, `2 minutes` -> seconds; undefined when absent or malformed. */
export function parseTimeout(text: string | undefined): number | undefined {
  if (text === undefined || text.trim() === '') return undefined;
  const m = /^(\d+)\s*(sec|second|seconds|min|minute|minutes|hour|hours)?$/i.exec(text.trim());
  if (!m) return undefined;
  const n = Number(m[1]);
  const unit = (m[2] ?? 'seconds').toLowerCase();
  return unit.startsWith('min') ? n * 60 : unit.startsWith('hour') ? n * 3600 : n;
}

async function withTimeout<T>(work: Promise<T>, seconds: number): Promise<T | 'timeout'> {
  if (seconds <= 0) return work; // 0 = no timeout
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'timeout'>((r) => (timer = setTimeout(() => r('timeout'), seconds * 1000)));
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
