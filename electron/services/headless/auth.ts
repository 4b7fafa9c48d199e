// Access rules of the headless console. Every HTTP request and every WebSocket upgrade, on loopback too, must
//  - name this server in Host: a DNS-rebinding page (evil.example resolved to 127.0.0.1) sends Host: evil.example
//    and must not read the console or reach /ws;
//  - come from the console's own origin when it says where it comes from (Origin): browsers let any page open a
//    WebSocket to 127.0.0.1, and only Origin tells the server which page did;
//  - carry the token: a process or page that knows neither the URL nor the cookie gets nothing (as Jupyter does).
// The token travels as `?token=` on the first page load, then as an HttpOnly SameSite=Strict cookie the server sets,
// or as `Authorization: Bearer <token>`.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { hostname, networkInterfaces } from 'node:os';

export function isLoopback(host: string): boolean {
  return host === '127.0.0.1' || host === 'localhost' || host === '::1' || host.startsWith('127.');
}

function isWildcard(host: string): boolean {
  return host === '0.0.0.0' || host === '::' || host === '';
}

export function generateToken(): string {
  return randomBytes(24).toString('base64url');
}

/** `host:port` as it stands in a Host header (IPv6 in brackets), lower case. */
function hostPort(host: string, port: number): string {
  const h = host.toLowerCase();
  return `${h.includes(':') && !h.startsWith('[') ? `[${h}]` : h}:${port}`;
}

export interface ConsoleAccess {
  token: string;
  /** The cookie carrying the token: one per port, as cookies do not tell ports apart (two consoles on one machine). */
  cookieName: string;
  /** The Host values this server answers to (`name:port`, lower case). */
  hosts: ReadonlySet<string>;
}

/**
 * The names a browser may reach this server by: the bound address, and every loopback name when bound to loopback.
 * Bound to all interfaces (0.0.0.0, ::), the machine's addresses and host name as well: any other name is
 * refused, as a DNS-rebinding page would be.
 */
export function consoleAccess(boundHost: string, port: number, token: string): ConsoleAccess {
  const names = new Set<string>([boundHost]);
  if (isLoopback(boundHost) || isWildcard(boundHost)) for (const n of ['127.0.0.1', 'localhost', '::1']) names.add(n);
  if (isWildcard(boundHost)) {
    names.add(hostname());
    for (const a of Object.values(networkInterfaces()).flat()) if (a) names.add(a.address);
  }
  const hosts = new Set([...names].map((n) => hostPort(n, port)));
  // Port 80: browsers leave the port out of Host and Origin.
  if (port === 80) for (const n of names) hosts.add(hostPort(n, port).replace(/:80$/, ''));
  return { token, cookieName: `edgelake_token_${port}`, hosts };
}

function same(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** The token a request presents, from the query, the Authorization header or the cookie. */
export function presentedToken(req: IncomingMessage, cookieName: string): string | undefined {
  const url = new URL(req.url ?? '/', 'http://x');
  const q = url.searchParams.get('token');
  if (q) return q;
  const auth = req.headers.authorization;
  if (auth?.startsWith('Bearer ')) return auth.slice(7).trim();
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === cookieName) {
      try {
        return decodeURIComponent(v.join('='));
      } catch {
        return undefined;
      }
    }
  }
  return undefined;
}

/** The page that sent the request was loaded from this very Host (scheme http or https, behind a TLS proxy). */
function isOwnOrigin(origin: string, host: string): boolean {
  try {
    const o = new URL(origin);
    return (o.protocol === 'http:' || o.protocol === 'https:') && o.host === host;
  } catch {
    return false; // `null` (sandboxed frames, file:) and garbage are not the console's origin
  }
}

export type AccessDecision = { ok: true } | { ok: false; status: 401 | 403; reason: string };

/** Host, then Origin, then the token: the first that fails decides. */
export function checkAccess(req: IncomingMessage, access: ConsoleAccess): AccessDecision {
  const host = (req.headers.host ?? '').toLowerCase();
  if (!access.hosts.has(host)) {
    return { ok: false, status: 403, reason: `Forbidden: this console does not answer to Host '${host}' (open the URL the node printed).` };
  }
  const origin = req.headers.origin;
  if (origin !== undefined && !isOwnOrigin(origin, host)) {
    return { ok: false, status: 403, reason: `Forbidden: requests from origin '${origin}' are refused; only the console's own page may call it.` };
  }
  const presented = presentedToken(req, access.cookieName);
  if (presented === undefined || !same(presented, access.token)) {
    return { ok: false, status: 401, reason: 'Unauthorized: this console requires its access token (open the URL the node printed).' };
  }
  return { ok: true };
}
