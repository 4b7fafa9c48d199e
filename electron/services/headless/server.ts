// Headless mode: the console served to a browser. Static files of the built renderer (dist/renderer) and one
// WebSocket endpoint (/ws) that carries the same typed contract the desktop carries over ipcMain: requests
// {id, channel, request} -> {id, ok, value | error}, push events {event, payload}. Validation and dispatch are
// console-api's (one binding for both transports). Bound to 127.0.0.1 by default; every request and upgrade, on
// loopback too, must pass auth.ts (Host, Origin, token). stop() closes every socket and the server.
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createServer, STATUS_CODES, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { WebSocketServer, type WebSocket } from 'ws';
import type { PushEventName, PushEvents } from '../../../shared/contract.js';
import { dispatch } from '../console-api/bind.js';
import { embeddedLink } from '../console-api/embedded-link.js';
import { createHandlers, subscribeEvents } from '../console-api/handlers.js';
import type { NodeLink } from '../console-api/link.js';
import { DisposableStore } from '../core/disposables.js';
import type { EdgeNode } from '../node.js';
import { checkAccess, consoleAccess, generateToken, type ConsoleAccess } from './auth.js';

export interface HeadlessOptions {
  node: EdgeNode;
  host?: string;
  /** 0 = a free port. */
  port: number;
  /** Required on every request, loopback included; generated when absent and printed in the URL. */
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
    const token = options.token ?? generateToken();
    const staticDir = resolve(options.staticDir);
    const link = embeddedLink(options.node, () => this.url);
    const handlers = createHandlers(link);

    const sockets = new Set<Socket>();
    const server: Server = createServer();
    server.on('connection', (s) => {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
    });
    const wss = new WebSocketServer({ noServer: true, maxPayload: 4 * 1024 * 1024 });
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
    // Requests are served from here on, in the same turn as `listen` completed (no I/O in between): the Host names
    // a request must use end in the port, which the system may have chosen.
    const { port } = server.address() as AddressInfo;
    const access = consoleAccess(host, port, token);
    server.on('request', (req, res) => void this.serveHttp(req, res, staticDir, access));
    server.on('upgrade', (req, socket, head) => {
      const path = new URL(req.url ?? '/', 'http://x').pathname;
      const decision = path === '/ws' ? checkAccess(req, access) : ({ ok: false, status: 404, reason: 'Not found' } as const);
      if (!decision.ok) {
        const text = `${decision.reason}\n`;
        socket.end(`HTTP/1.1 ${decision.status} ${STATUS_CODES[decision.status]}\r\nConnection: close\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(text)}\r\n\r\n${text}`);
        return;
      }
      wss.handleUpgrade(req, socket, head, (ws) => this.serveSocket(ws, link, handlers));
    });
    const shownHost = host.includes(':') ? `[${host}]` : host;
    this.url = `http://${shownHost}:${port}/?token=${encodeURIComponent(token)}`;
    return this.url;
  }

  async stop(): Promise<void> {
    const store = this.store;
    this.store = undefined;
    this.url = undefined;
    await store?.dispose();
  }

  private serveSocket(ws: WebSocket, link: NodeLink, handlers: ReturnType<typeof createHandlers>): void {
    const send = <E extends PushEventName>(event: E, payload: PushEvents[E]) => {
      if (ws.readyState === ws.OPEN) ws.send(JSON.stringify({ event, payload }));
    };
    const unsubscribe = subscribeEvents(link, send);
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

  private async serveHttp(req: IncomingMessage, res: ServerResponse, staticDir: string, access: ConsoleAccess): Promise<void> {
    const security = (contentType: string) => {
      res.setHeader('Content-Type', contentType);
      res.setHeader('X-Content-Type-Options', 'nosniff');
      res.setHeader('Referrer-Policy', 'no-referrer');
      res.setHeader('Cache-Control', 'no-store');
    };
    const decision = checkAccess(req, access);
    if (!decision.ok) {
      security('text/plain; charset=utf-8');
      res.statusCode = decision.status;
      res.end(`${decision.reason}\n`);
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.statusCode = 405;
      res.setHeader('Allow', 'GET, HEAD');
      res.end();
      return;
    }
    if (new URL(req.url ?? '/', 'http://x').searchParams.has('token')) {
      res.setHeader('Set-Cookie', `${access.cookieName}=${encodeURIComponent(access.token)}; HttpOnly; SameSite=Strict; Path=/`);
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
