// The answers of the REST server, shaped as EdgeLake shapes them (rest-api.md §4, §7; tcpip/http_server.py
// `send_reply_headers`, `write_headers_and_msg`, `error_failed_process`, `error_wrong_method`, `do_OPTIONS`).
// A Reply is plain data (status, reason phrase, content type, body, framing); replyHead() lists the headers in
// EdgeLake's order and writeReply() puts them on the wire. Two EdgeLake framing bugs are fixed here, keeping the
// status line and headers byte for byte:
//   - a failed command is announced as chunked but its JSON is written raw (strict clients such as curl or Python
//     requests see nothing); we send the same JSON as one proper chunk;
//   - an empty chunked answer (ping, GET without result) is closed without the terminating `0` chunk; Node's
//     HTTP writer sends it, so the body is a valid empty chunked body.
import { STATUS_CODES, type ServerResponse } from 'node:http';
import { pyJsonDumps } from '../command/format/pyjson.js';
import { statusText } from '../core/status.js';

/** Our Server header (EdgeLake sends Python's `BaseHTTP/0.6 Python/3.x`). */
export const SERVER_NAME = 'EdgeLakeDesktop/0.1';

/** The request headers EdgeLake announces in its CORS preflight, in its order. */
export const CORS_ALLOWED_HEADERS =
  'Content-Type, Authorization, Accept, User-Agent, command, dbms, table, details, destination, timeout, subset, into, html, pdf, topic, mode, source, instructions, type, assignment, Mcp-Session-Id';

export interface Reply {
  status: number;
  /** Reason phrase; default the standard one. EdgeLake puts error texts (JSON) here. */
  reason?: string;
  /** Content-Type; absent only on the CORS preflight. */
  contentType?: string;
  /** Body text, sent as UTF-8 (EdgeLake encodes replies as UTF-8). */
  body?: string;
  framing: 'length' | 'chunked';
  /** The CORS preflight has its own header set; the value is Access-Control-Allow-Headers. */
  preflight?: string;
  /**
   * A failed command's trailer for EdgeLake's own REST clients (see failedReply): after the body's one valid
   * chunk, this text where the next chunk's size belongs, then the connection closes.
   */
  brokenTrailer?: string;
}

/** Status line reason: the given one, made safe for a status line (no CR/LF or other control characters). */
export function reasonPhrase(reply: Reply): string {
  const reason = reply.reason ?? STATUS_CODES[reply.status] ?? '';
  return reason.replace(/[^\t\x20-\x7e\x80-\xff]/g, ' ');
}

/** The response headers, in EdgeLake's order (Server and Date first, as Python's send_response writes them). */
export function replyHead(reply: Reply, date: Date): [string, string][] {
  const head: [string, string][] = [
    ['Server', SERVER_NAME],
    ['Date', date.toUTCString()],
  ];
  if (reply.preflight !== undefined) {
    head.push(
      ['Access-Control-Allow-Origin', '*'],
      ['Access-Control-Allow-Methods', 'GET, POST, PUT, DELETE, HEAD, OPTIONS'],
      ['Access-Control-Allow-Headers', reply.preflight],
      ['Access-Control-Expose-Headers', '*'],
      ['Access-Control-Max-Age', '86400'],
      ['Content-Length', '0'],
      ['Connection', 'close'],
    );
    return head;
  }
  if (reply.contentType !== undefined) head.push(['Content-Type', reply.contentType]);
  head.push(['Access-Control-Allow-Origin', '*'], ['Vary', 'Origin'], ['Access-Control-Expose-Headers', '*']);
  if (reply.framing === 'chunked') head.push(['Transfer-Encoding', 'chunked']);
  else head.push(['Content-Length', String(Buffer.byteLength(reply.body ?? '', 'utf8'))]);
  head.push(['Connection', 'close']);
  return head;
}

/** Writes the reply; Node frames a chunked body (one chunk and the terminating `0` chunk). */
export function writeReply(res: ServerResponse, reply: Reply, date = new Date()): void {
  if (res.headersSent || res.destroyed) return;
  res.writeHead(reply.status, reasonPhrase(reply), replyHead(reply, date).flat());
  const body = reply.body ?? '';
  if (reply.brokenTrailer !== undefined && reply.framing === 'chunked' && res.socket) {
    // Written by hand: Node's writer would frame it properly. The answer says Connection: close.
    const socket = res.socket;
    res.flushHeaders();
    const data = Buffer.from(body, 'utf8');
    socket.end(Buffer.concat([Buffer.from(`${data.length.toString(16)}\r\n`), data, Buffer.from(`\r\n${reply.brokenTrailer}\r\n`, 'utf8')]));
    return;
  }
  if (reply.preflight !== undefined || body === '') res.end();
  else res.end(Buffer.from(body, 'utf8'));
}

export interface ErrorFields {
  method: 'get' | 'post';
  /** EdgeLake's `address_string()`: the caller's IP, although the key says node. */
  node: string;
  code: number;
  /** Error text returned by a peer (EdgeLake spells the key `operaor_msg`). */
  operatorMsg?: string | undefined;
  /** The node's detailed message. */
  localMsg?: string | undefined;
}

/** EdgeLake's error JSON, in json.dumps spacing: method, node, err_code, err_text [, operaor_msg] [, local_msg]. */
export function errorJson(fields: ErrorFields): string {
  const value: Record<string, unknown> = { method: fields.method, node: fields.node, err_code: fields.code, err_text: statusText(fields.code) };
  if (fields.operatorMsg) value.operaor_msg = fields.operatorMsg;
  if (fields.localMsg) value.local_msg = fields.localMsg;
  return pyJsonDumps(value);
}

/** Content type EdgeLake derives from a result: `text/json` when it starts with `{` or `[`, else `text`. */
export function resultType(text: string): 'text' | 'text/json' {
  return /^[{[]/.test(text) ? 'text/json' : 'text';
}

/** GET from an unknown agent, or without a command: answered like a ping, nothing executed. */
export function pingReply(): Reply {
  return { status: 200, contentType: 'text/json', framing: 'chunked' };
}

/** The command is not allowed on this method (err_code 156). Content-Type `json` (sic) is EdgeLake's. */
export function wrongMethodReply(method: 'get' | 'post', node: string, code: number): Reply {
  return { status: 400, contentType: 'json', framing: 'length', body: errorJson({ method, node, code }) };
}

/**
 * A failed command: the error JSON is the reason phrase (EdgeLake's way) and the body's first chunk, which curl
 * and browsers show. EdgeLake's own Python connector (AnyLog-API, behind Remote-GUI) cannot read an error from a
 * well-formed non-2xx answer: it finds the error text only inside the exception that EdgeLake's broken framing
 * raises in `requests` (the JSON where a chunk size belongs), and crashes otherwise ("Failed to extract valid
 * JSON ... got 'int'"). So after the valid chunk the same error JSON (without local_msg, whose text could break its
 * parser) follows where the next chunk's size belongs, and the connection closes: curl prints the body and then
 * reports the bad chunk, AnyLog-API shows err_text as it does against EdgeLake. Where the two clients conflict,
 * EdgeLake's own client wins.
 */
export function failedReply(fields: ErrorFields): Reply {
  const json = errorJson(fields);
  const forConnector = errorJson({ ...fields, localMsg: undefined, operatorMsg: undefined });
  return { status: 400, reason: json, contentType: resultType(json), framing: 'chunked', body: json, brokenTrailer: forConnector };
}

/**
 * A command sent to peers that failed or timed out: EdgeLake has already sent `200 OK` and chunked headers
 * before waiting, so the error JSON arrives in a 200 answer (rest-api.md §7 shape 3).
 */
export function networkFailedReply(fields: ErrorFields, contentType: 'text' | 'text/json'): Reply {
  return { status: 200, contentType, framing: 'chunked', body: errorJson(fields) };
}

export function missingCommandReply(): Reply {
  return { status: 400, contentType: 'text', framing: 'length', body: "Missing 'command' attribute in header" };
}

/** POST from an agent EdgeLake does not know; it prints the parsed product, which is `None` for unknown agents. */
export function unknownAgentReply(source: string): Reply {
  const reason = `{"Error" : "HTTP server received POST message from unknown 'User-Agent': 'None'", "Source" : "${source}"}`;
  return { status: 400, reason, contentType: 'text/json', framing: 'length' };
}

/** HEAD (Content-Length 0), DELETE (chunked) and other verbs: 501 `<VERB> NOT SUPPORTED`. */
export function notSupportedReply(verb: string, framing: 'length' | 'chunked'): Reply {
  return { status: 501, reason: `${verb} NOT SUPPORTED`, contentType: 'text/json', framing };
}

/** CORS preflight: echoes Access-Control-Request-Headers when the browser sends it. */
export function preflightReply(requestedHeaders: string | undefined): Reply {
  return { status: 204, framing: 'length', preflight: requestedHeaders || CORS_ALLOWED_HEADERS };
}

/** Python's repr of time.time(): always with a fraction. */
function pyTimestamp(seconds: number): string {
  const text = String(seconds);
  return /[.e]/.test(text) ? text : `${text}.0`;
}

/** `/health` and `/api/status` (`reply_to_url_request`). */
export function urlReply(route: '/health' | '/api/status', nowSeconds: number): Reply {
  const body =
    route === '/health'
      ? `{"status": "healthy", "service": "anylog-rest-server", "timestamp": ${pyTimestamp(nowSeconds)}}`
      : '{"status": "ok"}';
  return { status: 200, contentType: 'application/json', framing: 'length', body };
}

/** Headers placed in the URL that EdgeLake cannot read (a pair without key or value). */
export function badUrlFormReply(message: string): Reply {
  return { status: 400, reason: message, contentType: 'text', framing: 'chunked', body: message };
}

/**
 * A successful command (rest-api.md §7 success shapes): a result is sent with Content-Length; no result is an
 * empty chunked body on GET and `Content-Length: 0` on POST; a local `sql` select is streamed chunked.
 */
export function resultReply(method: 'get' | 'post', body: string, contentType: 'text' | 'text/json', select: boolean): Reply {
  if (select) return { status: 200, contentType, framing: 'chunked', body };
  if (body === '') return { status: 200, contentType: 'text', framing: method === 'get' ? 'chunked' : 'length' };
  return { status: 200, contentType, framing: 'length', body };
}

/** A body past `max_body_size` (our limit; EdgeLake has none): 413, naming the limit and how to raise it. */
export function bodyTooLargeReply(limit: string, seen: string): Reply {
  const body =
    `The request body (${seen}) is larger than the REST server's limit of ${limit}: send the data in smaller requests, ` +
    `or restart the server with a larger limit ('exit rest', then 'run rest server where ... and max_body_size = 64MB')`;
  return { status: 413, contentType: 'text', framing: 'length', body };
}

/** A body that did not arrive within `read_timeout` (our limit; EdgeLake waits for ever): 408. */
export function bodyTooSlowReply(seconds: number, received: string): Reply {
  const body =
    `The request body did not arrive within ${seconds} seconds (${received} received): the REST server drops slow requests ` +
    `after read_timeout seconds ('run rest server where ... and read_timeout = <seconds>')`;
  return { status: 408, contentType: 'text', framing: 'length', body };
}
