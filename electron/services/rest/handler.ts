// The flow of one REST request, from parsed request to Reply (rest-api.md §3-§7; tcpip/http_server.py `do_GET`,
// `process_get_request`, `do_POST`, `process_as_get`, `al_exec`, `prepare_commands`, `execute_al_commands`).
// No sockets here: the listener (service.ts) hands in the method, URL, headers and the body (read whole, under
// the server's limits, before the request took a worker), and writes the Reply. The outcome also says how `get rest calls` counts the request.
import { renderRest } from '../command/render.js';
import type { CommandResult, CommandSource, DictionaryApi } from '../command/types.js';
import { CommandError, Status, statusText } from '../core/status.js';
import { firstWords, isCorrectMethod } from './methods.js';
import {
  bodyCommands,
  isAssignmentName,
  parseAgent,
  parseTimeoutHeader,
  sqlSelect,
  urlFormHeaders,
  urlRoute,
  withAgentOverride,
  type RestHeaders,
} from './request.js';
import {
  badUrlFormReply,
  failedReply,
  missingCommandReply,
  networkFailedReply,
  notSupportedReply,
  pingReply,
  preflightReply,
  resultReply,
  unknownAgentReply,
  urlReply,
  wrongMethodReply,
  type ErrorFields,
  type Reply,
} from './responses.js';

/** EdgeLake codes used only here (core Status names the engine-wide ones). */
const Code = { REST_CALL_ERR: 51, UNKNOWN_USER_AGENT: 163, ERROR_TIMEOUT_VAL: 182, WRONG_HEADER_STRUCT: 193 } as const;

export interface RestRequest {
  /** The HTTP verb, upper-case. */
  method: string;
  /** The request target as sent (`/`, `/health`, `/?command=...`). */
  url: string;
  /** Normalized headers (request.ts normalizeHeaders). */
  headers: RestHeaders;
  /** The whole body, decoded text ('' when there is none). */
  body: string;
  /** The caller's IP (EdgeLake reports it as `node` in error JSON and `Source` in agent errors). */
  remoteIp: string;
}

export interface HandlerContext {
  execute(text: string, source: CommandSource): Promise<CommandResult>;
  dictionary: DictionaryApi;
  /** The server's timeout in seconds (`run rest server ... timeout`, `set rest timeout`); 0 = no limit. */
  timeoutSeconds(): number;
  /** Aborted when the server stops: a request still waiting for its command gives up at once. */
  signal: AbortSignal;
  /** Seconds since the epoch with a fraction (for `/health`). */
  nowSeconds(): number;
  /** Runs the command on peers (the `destination` header) and returns the body of their replies. */
  forward?(destinations: string[], command: string, timeoutMs: number): Promise<string>;
}

export interface Handled {
  reply: Reply;
  /** How `get rest calls` counts it: undefined caller = `AnyLog-V1`; `counted: false` for HEAD/DELETE/OPTIONS. */
  caller: string | undefined;
  verb: string;
  counted: boolean;
  /** Text for the Last Error column when the request failed. */
  error?: string;
}

export async function handleRequest(ctx: HandlerContext, req: RestRequest): Promise<Handled> {
  switch (req.method) {
    case 'GET':
      return handleGet(ctx, req, { ...req.headers });
    case 'POST':
      return handlePost(ctx, req);
    case 'OPTIONS':
      return { reply: preflightReply(req.headers['access-control-request-headers']), caller: undefined, verb: 'OPTIONS', counted: false };
    case 'HEAD':
      return { reply: notSupportedReply('HEAD', 'length'), caller: undefined, verb: 'HEAD', counted: false };
    case 'DELETE':
      return { reply: notSupportedReply('DELETE', 'chunked'), caller: undefined, verb: 'DELETE', counted: false };
    case 'PUT': {
      // Data in by PUT (rest-api.md §9) belongs to the operator's ingestion, which this node does not offer yet.
      const reply: Reply = {
        ...notSupportedReply('PUT', 'length'),
        contentType: 'text',
        body: 'PUT (adding data to a table) is not available on this node yet',
      };
      return { reply, caller: parseAgent(req.headers['user-agent']).product, verb: 'PUT', counted: true, error: statusText(Code.REST_CALL_ERR) };
    }
    default:
      return { reply: notSupportedReply(req.method, 'length'), caller: undefined, verb: req.method, counted: false };
  }
}

async function handleGet(ctx: HandlerContext, req: RestRequest, headers: RestHeaders): Promise<Handled> {
  let client = parseAgent(headers['user-agent']);
  if (!client.product) {
    // Headers may ride in the URL when no known agent was sent: `/?User-Agent=AnyLog/1.23?command=get%20status`.
    const form = urlFormHeaders(req.url);
    if (form && 'error' in form) {
      return { reply: badUrlFormReply(form.error), caller: undefined, verb: 'GET', counted: true, error: statusText(Code.WRONG_HEADER_STRUCT) };
    }
    if (form) {
      for (const [key, value] of form.pairs) headers[key === 'anylog-agent' ? 'user-agent' : key] = value;
      client = parseAgent(headers['user-agent']);
    }
  }
  // curl's own agent counts as AnyLog, with `get status` when no command is given (`get_client`).
  if (client.curl && headers.command === undefined) headers.command = 'get status';
  const command = headers.command;
  if (!client.product && !command) {
    const route = urlRoute(req.url);
    if (route) return { reply: urlReply(route, ctx.nowSeconds()), caller: 'url', verb: 'GET', counted: true };
  }
  if (command && client.product === 'anylog') return runCommand(ctx, req, 'get', command, headers);
  // Unknown agent, no agent, no command, or Grafana (whose protocol is not served): the ping answer.
  return { reply: pingReply(), caller: client.product, verb: 'GET', counted: true };
}

async function handlePost(ctx: HandlerContext, req: RestRequest): Promise<Handled> {
  const headers = { ...req.headers };
  const client = parseAgent(headers['user-agent']);
  const command = headers.command;
  if (!command && (!client.product || client.product === 'anylog')) {
    // A body that is one JSON object with a `command` key is run as a GET with the object's keys as headers
    // (`process_as_get`; observed: `{"command": "get status", "User-Agent": "AnyLog/1.23"}` works).
    const asHeaders = jsonObject(req.body.trim());
    if (asHeaders && 'command' in asHeaders) {
      const merged = { ...headers };
      for (const [key, value] of Object.entries(asHeaders)) {
        if (value !== null && typeof value !== 'object') merged[key.toLowerCase()] = String(value).trim();
      }
      withAgentOverride(merged);
      return runCommand(ctx, req, 'get', merged.command ?? '', merged, '', 'anylog');
    }
  }
  if (command && command.toLowerCase() === 'data' && client.product === 'anylog') {
    // `command: data` feeds a message client declared with `broker = rest` (rest-api.md §10), which this node
    // does not run yet: EdgeLake's answer when no client took the agent.
    const reason = '{"Error" : "HTTP server received POST message to add data. Missing USER ID (associated to the message broker)" }';
    return {
      reply: { status: 400, reason, contentType: 'text/json', framing: 'length' },
      caller: 'anylog',
      verb: 'POST',
      counted: true,
      error: statusText(Code.UNKNOWN_USER_AGENT),
    };
  }
  if (client.product === 'anylog') return runCommand(ctx, req, 'post', command, headers);
  if (client.product === 'grafana') {
    const reply: Reply = { status: 501, reason: 'GRAFANA NOT SUPPORTED', contentType: 'text', framing: 'length', body: 'The Grafana JSON-datasource protocol is not served by this node yet' };
    return { reply, caller: 'grafana', verb: 'POST', counted: true, error: statusText(Code.REST_CALL_ERR) };
  }
  return { reply: unknownAgentReply(req.remoteIp), caller: undefined, verb: 'POST', counted: true, error: statusText(Code.UNKNOWN_USER_AGENT) };
}

function jsonObject(text: string): Record<string, unknown> | undefined {
  if (!text.startsWith('{') || !text.endsWith('}')) return undefined;
  try {
    const value: unknown = JSON.parse(text);
    return value && typeof value === 'object' && !Array.isArray(value) && Object.keys(value).length > 0 ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** EdgeLake's `al_exec`: method check, destination, body commands, assignment, execution and the answer. */
async function runCommand(
  ctx: HandlerContext,
  req: RestRequest,
  method: 'get' | 'post',
  command: string | undefined,
  headers: RestHeaders,
  /** The body whose lines run first: the request's, or '' when the body was the headers (`process_as_get`). */
  body: string = req.body,
  caller: string = 'anylog',
): Promise<Handled> {
  const verb = method.toUpperCase();
  const done = (reply: Reply, error?: string): Handled => ({ reply, caller, verb, counted: true, ...(error ? { error } : {}) });
  const fail = (fields: Omit<ErrorFields, 'method' | 'node'>) => done(failedReply({ method, node: req.remoteIp, ...fields }), statusText(fields.code));

  if (!command) return done(missingCommandReply(), "Missing 'command' attribute in header");
  const words = firstWords(command);
  const isBodyCommand = words[0] === 'body';
  if (!isBodyCommand && !isCorrectMethod(method, words)) {
    return done(wrongMethodReply(method, req.remoteIp, Status.WRONG_HTTP_METHOD), statusText(Status.WRONG_HTTP_METHOD));
  }

  const timeout = parseTimeoutHeader(headers.timeout);
  if (timeout && 'error' in timeout) return fail({ code: Code.ERROR_TIMEOUT_VAL, localMsg: timeout.error });

  const destination = headers.destination;
  const peers = destination && destination !== 'local' && destination !== 'network' ? destination.replace(/^\(|\)$/g, '').split(',').map((d) => d.trim()).filter(Boolean) : [];
  if (peers.length > 0 && ctx.forward && peers.every((p) => /^[^\s:]+:\d{1,5}$/.test(p))) {
    try {
      const waitMs = (timeout && !('error' in timeout) ? timeout.seconds : ctx.timeoutSeconds() || 20) * 1000;
      const body = await ctx.forward(peers, command, waitMs);
      return done({ status: 200, reason: 'OK', contentType: 'text/json', framing: 'chunked', body });
    } catch (err) {
      const code = err instanceof CommandError ? err.code : Status.NETWORK_CONNECTION_FAILED;
      const localMsg = err instanceof CommandError ? (err.detail ?? err.message) : (err as Error).message;
      return done(networkFailedReply({ method, node: req.remoteIp, code, localMsg }, 'text/json'), statusText(code));
    }
  }
  if (destination && destination !== 'local') {
    // Running a command on peers needs the TCP peer protocol, which this node does not run yet. EdgeLake has
    // already sent `200 OK` with chunked headers when a network command fails, so the error comes in a 200.
    const code = destination === 'network' ? Status.FAILED_TO_DETERMINE_DEST : Status.NETWORK_CONNECTION_FAILED;
    const target = destination === 'network' ? 'the network' : `'${destination}'`;
    const localMsg = `Network routing is not available yet: this node cannot send commands to ${target} (the peer protocol is not running)`;
    const reply = networkFailedReply({ method, node: req.remoteIp, code, localMsg }, sqlSelect(command).table ? 'text' : 'text/json');
    return done(reply, statusText(code));
  }

  // The body: its lines run before the header command, or with `command: body` it is the command itself.
  // Binary uploads (application/octet-stream) are data for `file store`, never commands.
  let text = command;
  let prior: { number: number; text: string }[] = [];
  if (isBodyCommand) {
    text = body.trim();
    if (!text) return fail({ code: Status.COMMAND_STRUCT, localMsg: "'command: body' needs the command in the message body" });
  } else if (body.trim() && headers['content-type'] !== 'application/octet-stream') {
    prior = bodyCommands(body);
  }

  const assignment = headers.assignment;
  if (assignment !== undefined && !isAssignmentName(assignment)) {
    return fail({ code: Status.COMMAND_STRUCT, localMsg: `The 'assignment' header '${assignment}' is not a valid variable name` });
  }

  const seconds = timeout ? timeout.seconds : ctx.timeoutSeconds();
  const deadline = seconds > 0 ? Date.now() + seconds * 1000 : undefined;
  for (const entry of prior) {
    const result = await withDeadline(ctx, ctx.execute(entry.text, 'rest'), deadline);
    if (result === 'timeout') return fail({ code: Status.TIMEOUT, localMsg: timeoutMessage(seconds, entry.text) });
    if (result.code !== Status.SUCCESS) {
      const where = `Error with command #${entry.number} in the message body: '${entry.text}'`;
      return fail({ code: result.code, localMsg: result.detail ? `${where}: ${result.detail}` : where });
    }
  }

  // The `assignment` header stores the result of the (last) command instead of returning it: EdgeLake runs
  // `<key> = <command>` after clearing the key.
  if (assignment !== undefined) ctx.dictionary.delete(assignment);
  const run = assignment !== undefined ? `${assignment} = ${text}` : text;
  const result = await withDeadline(ctx, ctx.execute(run, 'rest'), deadline);
  if (result === 'timeout') return fail({ code: Status.TIMEOUT, localMsg: timeoutMessage(seconds, text) });
  if (result.code !== Status.SUCCESS) return fail({ code: result.code, localMsg: result.detail });

  const rendered = renderRest(result);
  const select = assignment === undefined ? sqlSelect(text) : { select: false, table: false };
  const contentType = select.select ? (select.table ? 'text' : 'text/json') : rendered.contentType;
  return done(resultReply(method, rendered.body, contentType, select.select));
}

function timeoutMessage(seconds: number, command: string): string {
  return `REST server timeout: '${command}' did not complete within ${seconds} seconds (the limit comes from the request's 'timeout' header or 'set rest timeout'; 0 = no limit)`;
}

/** The command's result, or 'timeout' at the deadline; a stopped server counts as a timeout. */
async function withDeadline(ctx: HandlerContext, work: Promise<CommandResult>, deadline: number | undefined): Promise<CommandResult | 'timeout'> {
  if (ctx.signal.aborted) return 'timeout';
  let timer: NodeJS.Timeout | undefined;
  let onAbort: (() => void) | undefined;
  const gaveUp = new Promise<'timeout'>((resolve) => {
    onAbort = () => resolve('timeout');
    ctx.signal.addEventListener('abort', onAbort, { once: true });
    if (deadline !== undefined) timer = setTimeout(() => resolve('timeout'), Math.max(0, deadline - Date.now()));
  });
  try {
    return await Promise.race([work, gaveUp]);
  } finally {
    clearTimeout(timer);
    ctx.signal.removeEventListener('abort', onAbort!);
  }
}
