// Access rules of the headless console (issue: bound to 127.0.0.1 it is open to this machine only; bound to any
// other address every HTTP request and WebSocket upgrade must carry the token). The token travels as `?token=`
// on the first page load, then as a cookie the server sets, or as `Authorization: Bearer <token>`.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

export const COOKIE_NAME = 'edgelake_token';

export function isLoopback(host: string): boolean {
  return host === '127.0.0.1' || host === 'localhost' || host === '::1' || host.startsWith('127.');
}

export function generateToken(): string {
  return randomBytes(24).toString('base64url');
}

function same(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** The token a request presents, from the query, the Authorization header or the cookie. */
export function presentedToken(req: IncomingMessage): string | undefined {
  const url = new URL(req.url ?? '/', 'http://x');
  const q = url.searchParams.get('token');
  if (q) return q;
  const auth = req.headers.authorization;
  if (auth?.startsWith('Bearer ')) return auth.slice(7).trim();
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === COOKIE_NAME) return decodeURIComponent(v.join('='));
  }
  return undefined;
}

export function authorized(req: IncomingMessage, token: string | undefined): boolean {
  if (token === undefined) return true;
  const presented = presentedToken(req);
  return presented !== undefined && same(presented, token);
}
