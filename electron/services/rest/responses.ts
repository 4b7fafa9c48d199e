// Writing responses the way EdgeLake's REST server frames them (rest-api.md §7): Server and Date first, then
// Content-Type, the CORS headers, Content-Length or chunked, and Connection: close (no keep-alive). Where EdgeLake
// writes a broken body (error JSON announced as chunked but sent raw), we keep its status code and reason phrase
// and send a well-formed body instead (spec README, decision 3).
import type { ServerResponse } from 'node:http';
import { pyString } from '../command/format/pyjson.js';

export const SERVER_NAME = 'EdgeLakeDesktop/0.1';

export interface ResponseSpec {
  status: number;
  /** Reason phrase; EdgeLake uses the error JSON itself for failed commands. */
  reason?: string;
  contentType?: string;
  body?: string;
  /** Chunked framing instead of Content-Length (EdgeLake's pings and empty GET results). */
  chunked?: boolean;
  extraHeaders?: [string, string][];
}

export function send(res: ServerResponse, spec: ResponseSpec): void {
  const body = spec.body ?? '';
  res.statusCode = spec.status;
  if (spec.reason) res.statusMessage = spec.reason.replace(/[\r\n]/g, ' ');
  res.setHeader('Server', SERVER_NAME);
  res.setHeader('Date', new Date().toUTCString());
  if (spec.contentType) res.setHeader('Content-Type', spec.contentType);
  res.setHeader('Access-Control-Allow-Origin', '*');
  res.setHeader('Vary', 'Origin');
  res.setHeader('Access-Control-Expose-Headers', '*');
  for (const [k, v] of spec.extraHeaders ?? []) res.setHeader(k, v);
  if (spec.chunked) res.setHeader('Transfer-Encoding', 'chunked');
  else res.setHeader('Content-Length', Buffer.byteLength(body, 'latin1'));
  res.setHeader('Connection', 'close');
  res.end(body, 'latin1');
}

/** EdgeLake's error JSON: method, node, err_code, err_text [, local_msg]. */
export function errorJson(method: string, node: string, code: number, text: string, localMsg?: string): string {
  const base = `{"method": "${method}", "node": "${node}", "err_code": ${code}, "err_text": "${text}"`;
  return localMsg ? `${base}, "local_msg": ${pyString(localMsg)}}` : `${base}}`;
}

export const CORS_HEADERS =
  'Content-Type, Authorization, Accept, User-Agent, command, dbms, table, details, destination, timeout, subset, into, html, pdf, topic, mode, source, instructions, type, assignment, Mcp-Session-Id';
