// The REST server (rest-api.md): one command of the command language per request, run exactly as the console
// runs it, answered with the text the console would print. This module is the listener and the lifecycle; the
// request flow is handler.ts, the answers responses.ts, the commands commands.ts.
// Lifecycle: `run rest server` starts it, `exit rest` or the node's stop() closes the listener and destroys
// every open connection at once, so the port can be bound again immediately. (EdgeLake leaves the port blocked
// for about a minute after `exit rest`: its listening socket is not closed promptly. We do not copy that.)
// Order of one request (issue 10): headers within read_timeout (Node's headersTimeout), then the body read whole
// under max_body_size and read_timeout (body.ts) without a worker, then a worker from the pool — a client gone
// by then never takes one — then the command; the worker is released when the answer is written or the
// command fails or times out. A client that goes away while its command runs keeps the worker until the command
// ends (it is still running, bounded by the REST timeout): the pool bounds the work, not the connections.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { CommandResult, CommandSource, CommandSpec, DictionaryApi } from '../command/types.js';
import type { ProcessRegistry } from '../core/processes.js';
import { CommandError, Status } from '../core/status.js';
import { restCommands } from './commands.js';
import { announcedTooLarge, readBody, type BodyOutcome } from './body.js';
import { addressesOf, DEFAULT_REST_START, processDetails, sizeText, withBoundPort, type RestAddresses, type RestConfig } from './config.js';
import { handleRequest, type HandlerContext } from './handler.js';
import { WorkersPool } from './pool.js';
import { normalizeHeaders, parseAgent } from './request.js';
import { bodyTooLargeReply, bodyTooSlowReply, SERVER_NAME, writeReply, type Reply } from './responses.js';
import { RestStats } from './stats.js';
import type { NodeService } from '../command/service.js';

/** What the REST server needs from its node. */
export interface RestDeps {
  /** Runs one command line (source 'rest') and returns its raw result. */
  execute(text: string, source: CommandSource): Promise<CommandResult>;
  processes: ProcessRegistry;
  dictionary: DictionaryApi;
  /** Clock for `get rest calls` (tests pin it). */
  now?: () => Date;
  /** Runs a command on peers (the `destination` header). */
  forward?(destinations: string[], command: string, timeoutMs: number): Promise<string>;
}

interface Running {
  config: RestConfig;
  readonly server: Server;
  readonly sockets: Set<Socket>;
  readonly pool: WorkersPool;
  readonly abort: AbortController;
}

export class RestService implements NodeService {
  readonly name = 'rest';
  /** Request counters; they outlive one run of the server, as EdgeLake's do. */
  readonly stats: RestStats;
  private running: Running | undefined;
  private starting: Promise<void> | undefined;
  private stopping: Promise<void> | undefined;
  private unregister: (() => void) | undefined;
  /** The configuration of the last run (`get rest server info` shows it after `exit rest`, as EdgeLake does). */
  private last: RestConfig | undefined;
  private stopRequested = false;

  constructor(private readonly deps: RestDeps) {
    this.stats = new RestStats(deps.now);
    deps.processes.setStartCommand('REST', DEFAULT_REST_START);
  }

  /** The running configuration (with the port actually bound), or undefined. */
  get config(): RestConfig | undefined {
    return this.running?.config;
  }

  /** The configuration of the running server, else of the last one. */
  get lastConfig(): RestConfig | undefined {
    return this.running?.config ?? this.last;
  }

  get pool(): WorkersPool | undefined {
    return this.running?.pool;
  }

  /** Connections the server holds open now (tests and the reliability run check that none leaks). */
  openConnections(): number {
    return this.running?.sockets.size ?? 0;
  }

  /** `get connections`: undefined when the server does not run. */
  addresses(): RestAddresses | undefined {
    return this.running ? addressesOf(this.running.config) : undefined;
  }

  /** `set rest timeout`: applies to the next requests; `get processes` shows it. */
  setTimeoutSeconds(seconds: number): void {
    const running = this.running;
    if (!running) throw new CommandError(Status.PROCESS_FAILURE, "The REST server is not running: give the timeout in 'run rest server where ... and timeout = <seconds>'");
    running.config = { ...running.config, timeout: seconds };
    this.last = running.config;
    this.deps.processes.changed();
  }

  start(requested: RestConfig): Promise<void> {
    if (this.running || this.starting) {
      const where = this.running ? ` (${processDetails(this.running.config)})` : '';
      return Promise.reject(new CommandError(Status.PROCESS_ALREADY_RUNNING, `The REST server is already running${where}; stop it with 'exit rest' first`));
    }
    this.starting = this.listen(requested).finally(() => {
      this.starting = undefined;
    });
    return this.starting;
  }

  private async listen(requested: RestConfig): Promise<void> {
    await this.stopping; // a stop in progress releases the port first
    // EdgeLake (Python's http.server) accepts HTTP/1.1 requests without a Host header; so do we. Header lines
    // up to 64 KB, as Python allows (commands and policies travel in headers). Headers must arrive within
    // read_timeout; the whole request within twice that (a backstop: body.ts answers a slow body first), checked
    // every second so that stalled clients go when their time is up.
    const readMs = requested.readTimeout * 1000;
    const server = createServer({
      maxHeaderSize: 64 * 1024,
      requireHostHeader: false,
      headersTimeout: readMs,
      requestTimeout: 2 * readMs,
      connectionsCheckingInterval: 1000,
    });
    const running: Running = { config: requested, server, sockets: new Set(), pool: new WorkersPool(requested.threads), abort: new AbortController() };
    server.on('connection', (socket: Socket) => {
      running.sockets.add(socket);
      socket.on('close', () => running.sockets.delete(socket));
    });
    server.on('request', (req: IncomingMessage, res: ServerResponse) => void this.serve(running, req, res));
    // `Expect: 100-continue` (curl sends it for bodies over 1 MB): a body announced past the limit is refused
    // before the client sends it; otherwise the client is told to go on.
    server.on('checkContinue', (req: IncomingMessage, res: ServerResponse) => {
      if (!announcedTooLarge(req, running.config.maxBodySize)) res.writeContinue();
      void this.serve(running, req, res);
    });
    server.on('clientError', (err: NodeJS.ErrnoException, socket: Socket) => badRequest(err, socket, running.config.readTimeout));
    const host = requested.bind ? requested.internalIp : undefined;
    await new Promise<void>((resolve, reject) => {
      const onError = (err: NodeJS.ErrnoException) => reject(listenError(err, host, requested.internalPort));
      server.once('error', onError);
      server.listen({ port: requested.internalPort, host, exclusive: true }, () => {
        server.off('error', onError);
        resolve();
      });
    });
    // Later listener errors (e.g. accept failing when out of file descriptors) must not crash the node.
    server.on('error', () => undefined);
    const bound = server.address();
    running.config = withBoundPort(requested, typeof bound === 'object' && bound ? bound.port : requested.internalPort);
    this.running = running;
    this.last = running.config;
    // `!anylog_rest_port` follows the server actually started (deployment scripts read it back).
    this.deps.dictionary.set('anylog_rest_port', String(running.config.externalPort));
    this.unregister = this.deps.processes.register('REST', {
      running: () => this.running === running,
      details: () => processDetails(running.config),
      stopCommand: 'exit rest',
    });
  }

  /**
   * `exit rest` sent over REST: the caller gets its answer first, then the server stops (as in EdgeLake, where the
   * request's thread finishes while the server shuts down). Stopping at once would cut the caller's connection.
   */
  stopAfterReply(): void {
    if (this.running) this.stopRequested = true;
  }

  /** Closes the listener and every open connection at once; idempotent, concurrent calls share one stop. */
  stop(): Promise<void> {
    if (this.stopping) return this.stopping;
    // A start under way finishes first, so that the server it opens is closed too.
    if (this.starting) return this.starting.then(() => this.stop(), () => this.stop());
    const running = this.running;
    if (!running) return Promise.resolve();
    this.running = undefined;
    this.stopRequested = false;
    this.stopping = (async () => {
      running.abort.abort(); // requests waiting for a command give up
      running.pool.close(); // requests waiting for a worker are dropped
      const closed = new Promise<void>((resolve) => running.server.close(() => resolve()));
      for (const socket of running.sockets) socket.destroy();
      await closed;
      this.unregister?.();
      this.unregister = undefined;
    })().finally(() => {
      this.stopping = undefined;
    });
    return this.stopping;
  }

  commands(): CommandSpec[] {
    return restCommands(this, this.deps.dictionary);
  }

  private async serve(running: Running, req: IncomingMessage, res: ServerResponse): Promise<void> {
    const remoteIp = (req.socket.remoteAddress ?? '').replace(/^::ffff:/, '');
    const from = `${remoteIp}:${req.socket.remotePort ?? ''}`;
    const verb = (req.method ?? '').toUpperCase();
    const gone = clientGone(req, res);
    const body = await readBody(req, { maxBytes: running.config.maxBodySize, timeoutMs: running.config.readTimeout * 1000 });
    if (body.kind !== 'body') {
      const refusal = refusalOf(body, running.config);
      if (refusal) {
        this.stats.record(parseAgent(req.headers['user-agent']).product, verb, from, refusal.error);
        writeReply(res, refusal.reply);
      } else req.socket.destroy();
      return;
    }
    const slot = await running.pool.acquire(gone);
    if (slot === undefined) {
      req.socket.destroy();
      return;
    }
    const ctx: HandlerContext = {
      execute: (text, source) => this.deps.execute(text, source),
      dictionary: this.deps.dictionary,
      timeoutSeconds: () => running.config.timeout,
      signal: running.abort.signal,
      nowSeconds: () => (performance.timeOrigin + performance.now()) / 1000,
      forward: this.deps.forward,
    };
    try {
      if (gone.aborted) return; // went away while the slot was handed over: nothing to run, nobody to answer
      const handled = await handleRequest(ctx, { method: verb, url: req.url ?? '/', headers: normalizeHeaders(req.rawHeaders), body: body.text, remoteIp });
      if (handled.counted) this.stats.record(handled.caller, handled.verb, from, handled.error);
      writeReply(res, handled.reply);
      if (this.stopRequested && this.running === running) {
        this.stopRequested = false;
        await new Promise<void>((resolve) => (res.writableFinished ? resolve() : res.once('close', () => resolve())));
        void this.stop();
      }
    } catch (err) {
      // Not expected (handlers return errors as values); the caller still gets an answer and the call is counted.
      const message = err instanceof Error ? err.message : String(err);
      this.stats.record(undefined, verb, from, 'REST call error');
      writeReply(res, { status: 500, contentType: 'text', framing: 'length', body: `REST server error: ${message}` });
    } finally {
      running.pool.release(slot);
    }
  }
}

/** Aborts when the connection closes before the answer was written (the client gave up, or broke). */
function clientGone(req: IncomingMessage, res: ServerResponse): AbortSignal {
  const gone = new AbortController();
  if (req.socket.destroyed) gone.abort();
  else res.once('close', () => (res.writableFinished ? undefined : gone.abort()));
  return gone.signal;
}

/** The answer to a body that was not read whole: 413 or 408 with the limit named; none when the client is gone. */
function refusalOf(body: Exclude<BodyOutcome, { kind: 'body' }>, config: RestConfig): { reply: Reply; error: string } | undefined {
  switch (body.kind) {
    case 'too-large': {
      const seen = body.announced ? `Content-Length ${body.bytes.toLocaleString('en-US')} bytes` : `more than ${body.bytes.toLocaleString('en-US')} bytes`;
      return { reply: bodyTooLargeReply(`${sizeText(config.maxBodySize)} (max_body_size)`, seen), error: 'Request body too large' };
    }
    case 'too-slow':
      return { reply: bodyTooSlowReply(config.readTimeout, `${body.bytes.toLocaleString('en-US')} bytes`), error: 'Request body too slow' };
    case 'gone':
      return undefined;
  }
}

function listenError(err: NodeJS.ErrnoException, host: string | undefined, port: number): CommandError {
  const where = `${host ?? '0.0.0.0'}:${port}`;
  const why =
    err.code === 'EADDRINUSE'
      ? 'the address is already in use (another node or program listens there)'
      : err.code === 'EADDRNOTAVAIL'
        ? 'the ip is not an address of this machine'
        : err.code === 'EACCES'
          ? 'permission denied (ports below 1024 need privileges)'
          : err.message;
  // Connection_error (81) is EdgeLake's code for an address it cannot take.
  return new CommandError(Status.CONNECTION_ERROR, `The REST server cannot listen on ${where}: ${why}`);
}

/** A request Node's parser refuses (e.g. a raw space in the URL): 400 with the reason, then close. */
function badRequest(err: NodeJS.ErrnoException, socket: Socket, readTimeout: number): void {
  if (!socket.writable || err.code === 'ECONNRESET') {
    socket.destroy();
    return;
  }
  const raw = (err as { rawPacket?: Buffer }).rawPacket;
  const line = raw ? raw.toString('latin1').split('\r\n')[0]! : '';
  const rawSpace = line.split(' ').length > 3; // method, target and version: a fourth part is a raw space in the URL
  const [status, body] =
    err.code === 'HPE_HEADER_OVERFLOW'
      ? ['431 Request Header Fields Too Large', 'The request headers are larger than 64 KB: send large commands or data in the body']
      : err.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? ['408 Request Timeout', `The request was not received within the REST server's read_timeout (${readTimeout} seconds for the headers, as much again for the body)`]
        : ['400 Bad request syntax', `Bad request syntax ('${line}')${rawSpace ? ': a URL cannot contain raw spaces; write them as %20' : ''}`];
  const bytes = Buffer.from(body, 'utf8');
  const head = [
    `HTTP/1.1 ${status}`,
    `Server: ${SERVER_NAME}`,
    `Date: ${new Date().toUTCString()}`,
    'Content-Type: text',
    `Content-Length: ${bytes.length}`,
    'Connection: close',
  ];
  socket.end(Buffer.concat([Buffer.from(`${head.join('\r\n')}\r\n\r\n`, 'latin1'), bytes]));
}
