// The request flow without sockets: a fake node (execute + dictionary) and hand-made requests.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { CommandResult } from '../command/types.js';
import { handleRequest, type HandlerContext, type RestRequest } from './handler.js';
import { normalizeHeaders } from './request.js';

interface Fake {
  ctx: HandlerContext;
  ran: string[];
  dict: Map<string, string>;
  abort: AbortController;
}

/** A node that answers `get status`, stores `x = y` assignments, fails `fail...` and never answers `wait forever`. */
function fakeNode(timeout = 20): Fake {
  const ran: string[] = [];
  const dict = new Map<string, string>();
  const abort = new AbortController();
  const execute = async (text: string): Promise<CommandResult> => {
    ran.push(text);
    const assign = /^(\w+) = (.*)$/.exec(text);
    if (text === 'get status') return { code: 0, output: { kind: 'text', text: 'AnyLog@127.0.0.1:32280 running' } };
    if (text === 'get json') return { code: 0, output: { kind: 'json', value: { a: 1 } } };
    if (text.startsWith('sql ')) return { code: 0, output: { kind: 'text', text: '{"Query": []}' } };
    if (text === 'wait forever') return new Promise(() => {});
    if (text === 'wait short') return new Promise((resolve) => setTimeout(() => resolve({ code: 0 }), 200));
    if (text.startsWith('fail')) return { code: 141, detail: `Unrecognized command '${text}'` };
    if (assign) {
      dict.set(assign[1]!, assign[2] === 'get status' ? 'AnyLog@127.0.0.1:32280 running' : assign[2]!);
      return { code: 0 };
    }
    return { code: 0 };
  };
  const ctx: HandlerContext = {
    execute,
    dictionary: { get: (k) => dict.get(k), set: (k, v) => void dict.set(k, v), delete: (k) => void dict.delete(k), entries: () => [...dict] },
    timeoutSeconds: () => timeout,
    signal: abort.signal,
    nowSeconds: () => 1795394609.25,
  };
  return { ctx, ran, dict, abort };
}

function req(method: string, headers: Record<string, string>, body = '', url = '/'): RestRequest {
  return { method, url, headers: normalizeHeaders(Object.entries(headers).flat()), body, remoteIp: '127.0.0.1' };
}

const AGENT = { 'User-Agent': 'AnyLog/1.23' };

test('GET runs the command header and answers its text', async () => {
  const f = fakeNode();
  const h = await handleRequest(f.ctx, req('GET', { command: 'get status', ...AGENT }));
  assert.deepEqual(h.reply, { status: 200, contentType: 'text', framing: 'length', body: 'AnyLog@127.0.0.1:32280 running' });
  assert.deepEqual([h.caller, h.verb, h.counted, h.error], ['anylog', 'GET', true, undefined]);
});

test('a JSON result is sent as json.dumps text with text/json', async () => {
  const h = await handleRequest(fakeNode().ctx, req('GET', { command: 'get json', ...AGENT }));
  assert.equal(h.reply.body, '{"a": 1}');
  assert.equal(h.reply.contentType, 'text/json');
});

test('curl without a command runs get status; an unknown agent gets the ping answer and runs nothing', async () => {
  const f = fakeNode();
  const curl = await handleRequest(f.ctx, req('GET', { 'User-Agent': 'curl/7.88.1' }));
  assert.equal(curl.reply.body, 'AnyLog@127.0.0.1:32280 running');
  const ping = await handleRequest(f.ctx, req('GET', { command: 'get status', 'User-Agent': 'Mozilla/5.0' }));
  assert.deepEqual(ping.reply, { status: 200, contentType: 'text/json', framing: 'chunked' });
  assert.equal(ping.caller, undefined, 'counted as AnyLog-V1');
  assert.deepEqual(f.ran, ['get status']);
});

test('headers in the URL are used when no known agent was sent', async () => {
  const f = fakeNode();
  const h = await handleRequest(f.ctx, req('GET', {}, '', '/?User-Agent=AnyLog/1.23?command=get%20status'));
  assert.equal(h.reply.body, 'AnyLog@127.0.0.1:32280 running');
  assert.equal(h.caller, 'anylog');
  const bad = await handleRequest(f.ctx, req('GET', {}, '', '/?command'));
  assert.equal(bad.reply.status, 400);
  assert.equal(bad.reply.reason, 'Error in header value command');
});

test('/health and /api/status answer without agent and count as url', async () => {
  const f = fakeNode();
  const h = await handleRequest(f.ctx, req('GET', {}, '', '/health'));
  assert.equal(h.reply.body, '{"status": "healthy", "service": "anylog-rest-server", "timestamp": 1795394609.25}');
  assert.equal(h.caller, 'url');
  const withAgent = await handleRequest(f.ctx, req('GET', AGENT, '', '/health'));
  assert.equal(withAgent.reply.framing, 'chunked', 'with an AnyLog agent and no command it is the ping answer, as in EdgeLake');
});

test('POST: body lines run first, then the header command; the last line runs whole', async () => {
  const f = fakeNode();
  const h = await handleRequest(f.ctx, req('POST', { command: 'set node name x', ...AGENT }, 'a = 1\nb = 2'));
  assert.deepEqual(f.ran, ['a = 1', 'b = 2', 'set node name x']);
  assert.deepEqual(h.reply, { status: 200, contentType: 'text', framing: 'length' });
});

test('a failing body command stops the request and is named with its number', async () => {
  const f = fakeNode();
  const h = await handleRequest(f.ctx, req('POST', { command: 'set node name x', ...AGENT }, 'a = 1\nfail here\nc = 3\n'));
  assert.deepEqual(f.ran, ['a = 1', 'fail here']);
  assert.equal(h.reply.status, 400);
  assert.equal(
    h.reply.body,
    `{"method": "post", "node": "127.0.0.1", "err_code": 141, "err_text": "Unrecognized Command", "local_msg": "Error with command #2 in the message body: 'fail here': Unrecognized command 'fail here'"}`,
  );
  assert.equal(h.reply.reason, h.reply.body);
  assert.equal(h.error, 'Unrecognized Command');
});

test('command: body runs the body as the command; a binary body is never run', async () => {
  const f = fakeNode();
  await handleRequest(f.ctx, req('POST', { command: 'body', ...AGENT }, 'set script x\nline 2'));
  assert.deepEqual(f.ran, ['set script x\nline 2']);
  const g = fakeNode();
  await handleRequest(g.ctx, req('POST', { command: 'set node name y', 'Content-Type': 'application/octet-stream', ...AGENT }, 'a = 1\n'));
  assert.deepEqual(g.ran, ['set node name y']);
});

test('a POST without command whose body is a JSON object runs as a GET with those headers', async () => {
  const f = fakeNode();
  const h = await handleRequest(f.ctx, req('POST', {}, '{"command": "get status", "User-Agent": "AnyLog/1.23"}'));
  assert.equal(h.reply.body, 'AnyLog@127.0.0.1:32280 running');
  assert.deepEqual([h.caller, h.verb], ['anylog', 'GET']);
  const wrong = await handleRequest(f.ctx, req('POST', AGENT, '{"command": "set node name x"}'));
  assert.match(wrong.reply.body!, /"method": "get".*"err_code": 156/, 'the GET method rules apply');
  const noCommand = await handleRequest(f.ctx, req('POST', AGENT, '{"x": 1}'));
  assert.equal(noCommand.reply.body, "Missing 'command' attribute in header");
});

test('the method table is applied: POST get status and GET set ... are 156', async () => {
  const f = fakeNode();
  const h = await handleRequest(f.ctx, req('POST', { command: 'get status', ...AGENT }));
  assert.equal(h.reply.body, '{"method": "post", "node": "127.0.0.1", "err_code": 156, "err_text": "Wrong HTTP method used"}');
  assert.equal(h.error, 'Wrong HTTP method used');
  assert.deepEqual(f.ran, []);
});

test('the assignment header runs <key> = <command> after clearing the key, and answers empty', async () => {
  const f = fakeNode();
  f.dict.set('st', 'old');
  const h = await handleRequest(f.ctx, req('GET', { command: 'get status', assignment: 'st', ...AGENT }));
  assert.deepEqual(f.ran, ['st = get status']);
  assert.equal(f.dict.get('st'), 'AnyLog@127.0.0.1:32280 running');
  assert.deepEqual(h.reply, { status: 200, contentType: 'text', framing: 'chunked' });
  const bad = await handleRequest(f.ctx, req('GET', { command: 'get status', assignment: 'a b', ...AGENT }));
  assert.match(bad.reply.body!, /'assignment' header 'a b' is not a valid variable name/);
});

test('a local sql select is streamed chunked', async () => {
  const h = await handleRequest(fakeNode().ctx, req('GET', { command: 'sql test format = table "select 1"', ...AGENT }));
  assert.deepEqual(h.reply, { status: 200, contentType: 'text', framing: 'chunked', body: '{"Query": []}' });
});

test('a command slower than the server timeout gets 26 Time Out; the timeout header overrides', async () => {
  const f = fakeNode(0.05);
  const t0 = Date.now();
  const h = await handleRequest(f.ctx, req('GET', { command: 'wait forever', ...AGENT }));
  assert.ok(Date.now() - t0 < 1000);
  assert.equal(h.reply.status, 400);
  assert.match(h.reply.body!, /"err_code": 26, "err_text": "Time Out", "local_msg": "REST server timeout: 'wait forever' did not complete within 0.05 seconds/);
  assert.equal((await handleRequest(f.ctx, req('GET', { command: 'wait short', ...AGENT }))).reply.status, 400);
  assert.equal((await handleRequest(f.ctx, req('GET', { command: 'wait short', timeout: '1', ...AGENT }))).reply.status, 200);
  assert.equal((await handleRequest(f.ctx, req('GET', { command: 'wait short', timeout: '0', ...AGENT }))).reply.status, 200, '0 = no limit');
  const bad = await handleRequest(f.ctx, req('POST', { command: 'wait forever', timeout: 'soon', ...AGENT }));
  assert.match(bad.reply.body!, /"err_code": 182, "err_text": "Error timeout value"/);
});

test('a stopped server gives up waiting at once', async () => {
  const f = fakeNode(0);
  const pending = handleRequest(f.ctx, req('POST', { command: 'wait forever', ...AGENT }));
  await new Promise((r) => setImmediate(r));
  f.abort.abort();
  assert.equal((await pending).reply.status, 400);
});

test('destination answers at once with a network error in a 200, as EdgeLake shapes it', async () => {
  const f = fakeNode();
  const net = await handleRequest(f.ctx, req('GET', { command: 'get status', destination: 'network', ...AGENT }));
  assert.equal(net.reply.status, 200);
  assert.equal(net.reply.framing, 'chunked');
  assert.match(net.reply.body!, /^\{"method": "get", "node": "127.0.0.1", "err_code": 155, "err_text": "Failed to determine destination node", "local_msg": "Network routing is not available yet/);
  const peers = await handleRequest(f.ctx, req('GET', { command: 'get status', destination: '127.0.0.1:32280,127.0.0.1:32290', ...AGENT }));
  assert.match(peers.reply.body!, /"err_code": 208, .*'127\.0\.0\.1:32280,127\.0\.0\.1:32290'/);
  const local = await handleRequest(f.ctx, req('GET', { command: 'get status', destination: 'local', ...AGENT }));
  assert.equal(local.reply.body, 'AnyLog@127.0.0.1:32280 running');
  assert.deepEqual(f.ran, ['get status']);
});

test('POST from an unknown agent is 400 and counted as AnyLog-V1; command: data without a REST message client too', async () => {
  const f = fakeNode();
  const h = await handleRequest(f.ctx, req('POST', { command: 'get status', 'User-Agent': 'Mozilla/5.0' }));
  assert.equal(h.reply.status, 400);
  assert.equal(h.caller, undefined);
  assert.equal(h.error, 'Unknown user agent');
  const data = await handleRequest(f.ctx, req('POST', { command: 'data', topic: 't', ...AGENT }, '{"v": 1}'));
  assert.equal(data.reply.status, 400);
  assert.match(data.reply.reason!, /Missing USER ID/);
  assert.deepEqual(f.ran, []);
});

test('HEAD, DELETE and OPTIONS are answered and not counted; PUT is refused and counted', async () => {
  const f = fakeNode();
  for (const method of ['HEAD', 'DELETE', 'OPTIONS']) assert.equal((await handleRequest(f.ctx, req(method, AGENT))).counted, false);
  const put = await handleRequest(f.ctx, req('PUT', { dbms: 'test', table: 't', ...AGENT }, '{}'));
  assert.equal(put.reply.status, 501);
  assert.deepEqual([put.caller, put.verb, put.counted], ['anylog', 'PUT', true]);
});
