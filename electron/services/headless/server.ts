// Headless mode: the console served to a browser. Static files of the built renderer (dist/renderer) and one
// WebSocket endpoint (/ws) that carries the same typed contract the desktop carries over ipcMain: requests
// {id, channel, request} -> {id, ok, value | error}, push events {event, payload}. Validation and dispatch are
// console-api's (one binding for both transports). Bound to 127.0.0.1 by default; any other address requires a
// token (auth.ts). stop() closes every socket and the server.
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { WebSocketServer, type WebSocket } from 'ws';
import type { PushEventName, PushEvents } from '../../../shared/contract.js';
import { dispatch } from '../console-api/bind.js';
import { createHandlers, subscribeEvents } from '../console-api/handlers.js';
import { DisposableStore } from '../core/disposables.js';
import type { EdgeNode } from '../node.js';
import { authorized, COOKIE_NAME, generateToken, isLoopback, presentedToken } from './auth.js';

export interface HeadlessOptions {
  node: EdgeNode;
  host?: string;
  /** 0 = a free port. */
  port: number;
  /** Required (and generated when absent) for any host other than loopback. */
  token?: string | undefined;
  staticDir: string;
}

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json',
  '.json': 'application/json',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
};

/** The console's Content-Security-Policy: nothing remote, no inline script, WebSocket to this server only. */
export const CONSOLE_CSP =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self' ws: wss:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'none'";

export class HeadlessConsole {
  private store: DisposableStore | undefined;
  private url: string | undefined;

  get address(): string | undefined {
    return this.url;
  }

  async start(options: HeadlessOptions): Promise<string> {
    if (this.store) throw new Error('headless console already started');
    const store = (this.store = new DisposableStore());
    const host = options.host ?? '127.0.0.1';
    const token = options.token ?? (isLoopback(host) ? undefined : generateToken());
    const staticDir = resolve(options.staticDir);
    const handlers = createHandlers(options.node, () => this.url);

    const sockets = new Set<Socket>();
    const server: Server = createServer((req, res) => void this.serveHttp(req, res, staticDir, token));
    server.on('connection', (s) => {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
    });
    const wss = new WebSocketServer({ noServer: true, maxPayload: 4 * 1024 * 1024 });
    server.on('upgrade', (req, socket, head) => {
      const path = new URL(req.url ?? '/', 'http://x').pathname;
      if (path !== '/ws' || !authorized(req, token)) {
        socket.end('HTTP/1.1 401 Unauthorized\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
        return;
      }
      wss.handleUpgrade(req, socket, head, (ws) => this.serveSocket(ws, options.node, handlers));
    });
    await new Promise<void>((resolveListen, reject) => {
      server.once('error', reject);
      server.listen(options.port, host, () => resolveListen());
    });
    store.defer(
      () =>
        new Promise<void>((r) => {
          for (const client of wss.clients) client.terminate();
          wss.close();
          server.close(() => r());
          for (const s of sockets) s.destroy();
        }),
    );
    const { port } = server.address() as AddressInfo;
    const shownHost = host.includes(':') ? `[${host}]` : host;
    this.url = `http://${shownHost}:${port}/${token ? `?token=${encodeURIComponent(token)}` : ''}`;
    return this.url;
  }

  async stop(): Promise<void> {
    const store = this.store;
    this.store = undefined;
    this.url = undefined;
    await store?.dispose();
  }

  private serveSocket(ws: WebSocket, node: EdgeNode, handlers: ReturnType<typeof createHandlers>): void {
    const send = <E extends PushEventName>(event: E, payload: PushEvents[E]) => {
      if (ws.readyState === ws.OPEN) ws.send(JSON.stringify({ event, payload }));
    };
    const unsubscribe = subscribeEvents(node, send);
    ws.on('close', unsubscribe);
    ws.on('message', async (data) => {
      let message: { id?: unknown; channel?: unknown; request?: unknown };
      try {
        message = JSON.parse(String(data)) as typeof message;
      } catch {
        ws.send(JSON.stringify({ id: null, ok: false, error: { code: 'invalid-request', message: 'message is not JSON' } }));
        return;
      }
      const id = typeof message.id === 'number' || typeof message.id === 'string' ? message.id : null;
      const outcome =
        typeof message.channel === 'string'
          ? await dispatch(handlers, message.channel, message.request)
          : { ok: false as const, error: { code: 'invalid-request' as const, message: 'message has no channel' } };
      if (ws.readyState === ws.OPEN) ws.send(JSON.stringify({ id, ...outcome }));
    });
  }

  private async serveHttp(req: IncomingMessage, res: ServerResponse, staticDir: string, token: string | undefined): Promise<void> {
    const security = (contentType: string) => {
      res.setHeader('Content-Type', contentType);
      res.setHeader('X-Content-Type-Options', 'nosniff');
      res.setHeader('Referrer-Policy', 'no-referrer');
      res.setHeader('Cache-Control', 'no-store');
    };
    if (!authorized(req, token)) {
      security('text/plain; charset=utf-8');
      res.statusCode = 401;
      res.end('Unauthorized: this console requires its access token (open the URL the node printed).\n');
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.statusCode = 405;
      res.setHeader('Allow', 'GET, HEAD');
      res.end();
      return;
    }
    if (token && presentedToken(req) !== undefined) {
      res.setHeader('Set-Cookie', `${COOKIE_NAME}=${encodeURIComponent(token)}; HttpOnly; SameSite=Strict; Path=/`);
    }
    const pathname = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    let file = normalize(join(staticDir, pathname));
    if (file !== staticDir && !file.startsWith(staticDir + sep)) {
      security('text/plain; charset=utf-8');
      res.statusCode = 404;
      res.end('Not found\n');
      return;
    }
    let info = await stat(file).catch(() => undefined);
    if (!info || info.isDirectory() || !extname(file)) {
      // The console is a single page: unknown routes get index.html.
      file = join(staticDir, 'index.html');
      info = await stat(file).catch(() => undefined);
    }
    if (!info) {
      security('text/plain; charset=utf-8');
      res.statusCode = 404;
      res.end(`The console is not built (${file} is missing): run npm run build\n`);
      return;
    }
    const type = CONTENT_TYPES[extname(file)] ?? 'application/octet-stream';
    security(type);
    if (type.startsWith('text/html')) res.setHeader('Content-Security-Policy', CONSOLE_CSP);
    res.setHeader('Content-Length', info.size);
    if (req.method === 'HEAD') {
      res.end();
      return;
    }
    createReadStream(file).pipe(res);
  }
}
