// Reading a REST request's body before it takes a worker (issue 10, defects 1 and 6): under a size limit
// (`max_body_size`) and a time limit (`read_timeout`), and ending on every path — complete, too large, too slow,
// or the client gone — so that no request waits forever on a body. EdgeLake reads `Content-Length` bytes with no
// limit of either kind (http_server.py `get_msg_body`): a stalled body holds one of its threads for good, and a
// huge one is buffered whole. Chunks are kept only up to the limit; past it the rest is not buffered.
import type { IncomingMessage } from 'node:http';
import { decodeText } from './request.js';

export type BodyOutcome =
  | { kind: 'body'; text: string }
  /** More than `maxBytes` announced (Content-Length) or received (chunked); `bytes` is what was seen. */
  | { kind: 'too-large'; bytes: number; announced: boolean }
  | { kind: 'too-slow'; bytes: number }
  /** The connection closed or broke before the body was complete. */
  | { kind: 'gone' };

export interface BodyLimits {
  maxBytes: number;
  timeoutMs: number;
}

/** The Content-Length header as a number, or undefined when absent or not a plain decimal. */
export function announcedLength(req: IncomingMessage): number | undefined {
  const value = req.headers['content-length'];
  return value !== undefined && /^\d+$/.test(value) ? Number(value) : undefined;
}

/** True when the announced length alone passes the limit (answered before a byte of the body is read). */
export function announcedTooLarge(req: IncomingMessage, maxBytes: number): boolean {
  const length = announcedLength(req);
  return length !== undefined && length > maxBytes;
}

export function readBody(req: IncomingMessage, limits: BodyLimits): Promise<BodyOutcome> {
  if (announcedTooLarge(req, limits.maxBytes)) return Promise.resolve({ kind: 'too-large', bytes: announcedLength(req)!, announced: true });
  if (req.complete && req.readableEnded) return Promise.resolve({ kind: 'body', text: '' });
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let bytes = 0;
    const finish = (outcome: BodyOutcome) => {
      clearTimeout(timer);
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onGone);
      req.off('close', onGone);
      chunks.length = 0;
      resolve(outcome);
    };
    const onData = (chunk: Buffer) => {
      bytes += chunk.length;
      if (bytes > limits.maxBytes) finish({ kind: 'too-large', bytes, announced: false });
      else chunks.push(chunk);
    };
    const onEnd = () => {
      const text = decodeText(Buffer.concat(chunks, bytes));
      finish({ kind: 'body', text });
    };
    // 'close' before 'end' means the request was destroyed (client gone, server stopping): 'end' comes first otherwise.
    const onGone = () => finish({ kind: 'gone' });
    const timer = setTimeout(() => finish({ kind: 'too-slow', bytes }), limits.timeoutMs);
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onGone);
    req.on('close', onGone);
    // A request destroyed before we listened emits nothing more.
    if (req.destroyed) onGone();
  });
}
