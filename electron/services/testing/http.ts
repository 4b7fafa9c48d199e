// Raw HTTP clients for the REST server's int tests and reliability runs: a request sent byte for byte and read
// to the close (with a time limit, so a server that never answers fails the caller instead of hanging it), and a
// connection held open by hand (a stalled body, a give-up while queued).
import { connect, type Socket } from 'node:net';

export interface RawReply {
  /** The status line's code, or 0 when the server closed without an answer. */
  status: number;
  head: string;
  body: string;
  /** Milliseconds from the connect to the close. */
  ms: number;
}

/** Sends `bytes` and reads until the server closes; rejects after `timeoutMs` with what arrived so far. */
export function rawRequest(port: number, bytes: string | Buffer, timeoutMs = 5000): Promise<RawReply> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const socket = connect(port, '127.0.0.1', () => socket.write(bytes));
    const chunks: Buffer[] = [];
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`no answer within ${timeoutMs} ms (received: ${JSON.stringify(Buffer.concat(chunks).toString('latin1').slice(0, 200))})`));
    }, timeoutMs);
    socket.on('data', (d: Buffer) => chunks.push(d));
    socket.on('error', () => undefined); // a reset after the answer still ends in 'close'
    socket.on('close', () => {
      clearTimeout(timer);
      resolve(parseReply(Buffer.concat(chunks), Date.now() - started));
    });
  });
}

export function parseReply(raw: Buffer, ms = 0): RawReply {
  const text = raw.toString('latin1');
  const at = text.indexOf('\r\n\r\n');
  const head = at === -1 ? text : text.slice(0, at);
  const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(head)?.[1] ?? 0);
  return { status, head, body: at === -1 ? '' : Buffer.from(text.slice(at + 4), 'latin1').toString('utf8'), ms };
}

/** `GET /` with the command header and EdgeLake's agent. */
export function commandRequest(command: string, extra = ''): string {
  return `GET / HTTP/1.1\r\nHost: x\r\ncommand: ${command}\r\nUser-Agent: AnyLog/1.23\r\n${extra}\r\n`;
}

/** Opens a connection, writes `bytes`, and keeps it open until the caller ends or destroys it. */
export function openHeld(port: number, bytes: string | Buffer): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => {
      socket.write(bytes);
      resolve(socket);
    });
    socket.on('error', (err) => reject(err));
  });
}

/** Polls `check` every 20 ms until it returns true or `ms` pass; returns its last answer. */
export async function waitFor(check: () => boolean | Promise<boolean>, ms = 3000): Promise<boolean> {
  const end = Date.now() + ms;
  for (;;) {
    if (await check()) return true;
    if (Date.now() > end) return false;
    await new Promise((r) => setTimeout(r, 20));
  }
}
