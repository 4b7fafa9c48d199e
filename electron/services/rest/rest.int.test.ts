// The REST server on a real port, answered byte for byte like EdgeLake's (transcripts rest-*.txt, get-*.txt),
// except where the spec says we fix EdgeLake (well-formed error bodies).
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { promisify } from 'node:util';
import { EdgeNode } from '../node.js';
import { restSections } from '../testing/transcripts.js';

let home: string;
let node: EdgeNode;
let port: number;

/** Sends raw bytes, returns the raw response (the server closes every connection). */
function raw(request: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.write(request));
    let data = '';
    socket.setEncoding('latin1');
    socket.on('data', (d: string) => (data += d));
    socket.on('end', () => resolve(data));
    socket.on('error', reject);
  });
}

function request(method: string, headers: Record<string, string>, body = '', path = '/'): Promise<string> {
  const lines = [`${method} ${path} HTTP/1.1`, `Host: 127.0.0.1:${port}`, ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`)];
  if (body) lines.push(`Content-Length: ${Buffer.byteLength(body)}`);
  return raw(`${lines.join('\r\n')}\r\n\r\n${body}`);
}

/** Status line and headers with Server/Date normalized as the transcripts do, and the body. */
function parse(response: string): { head: string; body: string } {
  const at = response.indexOf('\r\n\r\n');
  const head = response
    .slice(0, at)
    .replace(/\r\n/g, '\n') // the transcripts show header lines with \n
    .replace(/^Server: .*$/m, 'Server: <server>')
    .replace(/^Date: .*$/m, 'Date: <date>');
  return { head, body: response.slice(at + 4) };
}

const AGENT = { 'User-Agent': 'AnyLog/1.23' };

before(async () => {
  home = await mkdtemp(join(tmpdir(), 'edgelake-rest-'));
  node = new EdgeNode({ home, ip: '127.0.0.1' });
  await node.start();
  const r = await node.execute('run rest server where external_ip = 127.0.0.1 and external_port = 0 and internal_ip = 127.0.0.1 and internal_port = 0 and bind = true and timeout = 1');
  assert.notEqual(r.code, 0, 'port 0 is refused: a REST server needs a real port');
  const probe = (await import('node:net')).createServer();
  await new Promise<void>((ok) => probe.listen(0, '127.0.0.1', ok));
  port = (probe.address() as { port: number }).port;
  await new Promise<void>((ok) => probe.close(() => ok()));
  const started = await node.execute(`run rest server where external_ip = 127.0.0.1 and external_port = ${port} and internal_ip = 127.0.0.1 and internal_port = ${port} and bind = true and timeout = 1`);
  assert.equal(started.code, 0, started.text);
});
after(async () => {
  await node.stop();
  await rm(home, { recursive: true, force: true });
});

test('get status over GET: the same status line, headers and body as the real node', async () => {
  const [text, json] = restSections('get-status.txt');
  const ours = parse(await request('GET', { command: 'get status', ...AGENT }));
  assert.equal(ours.head, text!.head.replace('Content-Length: 30', 'Content-Length: 24'));
  assert.equal(ours.body, 'AnyLog@127.0.0.1 running');
  const j = parse(await request('GET', { command: 'get status where format = json', ...AGENT }));
  assert.equal(j.head, json!.head.replace('Content-Length: 84', `Content-Length: ${j.body.length}`));
  assert.deepEqual(JSON.parse(j.body), { assigned_name: 'AnyLog@127.0.0.1', status: 'running', profiling: false });
});

test('the wrong method is 400 with err_code 156, as the real node answers', async () => {
  const captured = restSections('rest-errors.txt');
  const getBlah = captured.find((s) => s.request.startsWith('GET') && s.request.includes('command: blah blah'))!;
  const postStatus = captured.find((s) => s.request.startsWith('POST') && s.request.includes('command: get status') && s.request.includes('AnyLog'))!;
  const a = parse(await request('GET', { command: 'blah blah', ...AGENT }));
  assert.equal(a.head, getBlah.head);
  assert.equal(a.body, '{"method": "get", "node": "127.0.0.1", "err_code": 156, "err_text": "Wrong HTTP method used"}');
  const b = parse(await request('POST', { command: 'get status', ...AGENT }));
  assert.equal(b.head, postStatus.head);
});

test('a failed command keeps EdgeLake status and reason phrase, with the error JSON as a well-formed body', async () => {
  const captured = restSections('rest-errors.txt').find((s) => s.request.includes('command: get nothing here'))!;
  const ours = parse(await request('GET', { command: 'get nothing here', ...AGENT }));
  // EdgeLake announces chunked framing and sends the JSON raw (curl prints nothing); we send Content-Length.
  const expectedHead = captured.head.replace('Transfer-Encoding: chunked', `Content-Length: ${Buffer.byteLength(ours.body)}`);
  assert.equal(ours.head, expectedHead);
  const body = JSON.parse(ours.body) as Record<string, unknown>;
  assert.equal(body.err_code, 2);
  assert.equal(body.err_text, 'Error Command Structure');
  assert.match(String(body.local_msg), /get nothing here/);
  const unknown = parse(await request('POST', { command: 'blah blah', ...AGENT }));
  assert.match(unknown.head, /^HTTP\/1\.1 400 \{"method": "post", "node": "127\.0\.0\.1", "err_code": 141, "err_text": "Unrecognized Command"\}/);
});

test('agents: an unknown agent gets the ping answer on GET and 400 on POST; curl counts as AnyLog', async () => {
  const captured = restSections('rest-errors.txt');
  const ping = parse(await request('GET', { command: 'get status', 'User-Agent': 'Mozilla/5.0' }));
  assert.equal(ping.head, captured.find((s) => s.request.includes('Mozilla') && s.request.startsWith('GET'))!.head);
  assert.equal(ping.body, '0\r\n\r\n');
  const post = parse(await request('POST', { command: 'get status', 'User-Agent': 'Mozilla/5.0' }));
  assert.equal(post.head, captured.find((s) => s.request.includes('Mozilla') && s.request.startsWith('POST'))!.head);
  const curl = parse(await request('GET', { command: 'get status', 'User-Agent': 'curl/7.88.1' }));
  assert.equal(curl.body, 'AnyLog@127.0.0.1 running');
  const missing = parse(await request('POST', AGENT));
  assert.equal(missing.head, captured.find((s) => s.request.startsWith('POST') && !s.request.includes('command'))!.head);
  assert.equal(missing.body, "Missing 'command' attribute in header");
});

test('HEAD, DELETE and OPTIONS are answered as the real node answers them', async () => {
  const captured = restSections('rest-errors.txt');
  for (const method of ['HEAD', 'DELETE', 'OPTIONS']) {
    const expected = captured.find((s) => s.request.startsWith(method))!;
    const headers: Record<string, string> = method === 'OPTIONS' ? { Origin: 'http://x', 'Access-Control-Request-Method': 'POST' } : AGENT;
    assert.equal(parse(await request(method, headers)).head, expected.head, method);
  }
});

test('URL form, /health and /api/status', async () => {
  const url = parse(await request('GET', {}, '', '/?User-Agent=AnyLog/1.23?command=get%20status'));
  assert.equal(url.body, 'AnyLog@127.0.0.1 running');
  const health = JSON.parse(parse(await request('GET', {}, '', '/health')).body) as { status: string };
  assert.equal(health.status, 'healthy');
  assert.equal(parse(await request('GET', {}, '', '/api/status')).body, '{"status": "ok"}');
});

test('POST body commands run first, the last line too even without a newline', async () => {
  const r = parse(await request('POST', { command: 'set node name from-body', ...AGENT }, 'a = 1\nb = 2'));
  assert.match(r.head, /^HTTP\/1\.1 200 OK/);
  assert.equal(node.dictionary.get('a'), '1');
  assert.equal(node.dictionary.get('b'), '2');
  assert.equal(parse(await request('GET', { command: 'get status', ...AGENT })).body, 'from-body@127.0.0.1 running');
  await node.execute('set node name AnyLog');
  const bad = parse(await request('POST', { command: 'set node name x', ...AGENT }, 'no such thing\n'));
  assert.match(JSON.parse(bad.body).local_msg, /Error with command #1 in the message body: 'no such thing'/);
});

test('a POST whose body is a JSON object of headers runs as a GET', async () => {
  const r = parse(await request('POST', { 'Content-Type': 'application/json' }, '{"command": "get status", "User-Agent": "AnyLog/1.23"}'));
  assert.equal(r.body, 'AnyLog@127.0.0.1 running');
});

test('the assignment header stores the result instead of returning it', async () => {
  const r = parse(await request('GET', { command: 'get status', assignment: 'st', ...AGENT }));
  assert.equal(r.body, '0\r\n\r\n');
  assert.equal(node.dictionary.get('st'), 'AnyLog@127.0.0.1 running');
});

test('the timeout is honoured: a slow command gets code 26 after the server timeout, 0 waits', async () => {
  const t0 = Date.now();
  const slow = parse(await request('GET', { command: 'wait 3', ...AGENT }));
  assert.ok(Date.now() - t0 < 2500, 'answered at the 1 s server timeout');
  assert.equal(JSON.parse(slow.body).err_code, 26);
  const noLimit = parse(await request('GET', { command: 'wait 1.2', timeout: '0', ...AGENT }));
  assert.match(noLimit.head, /^HTTP\/1\.1 200 OK/);
});

test('destination is refused with a clear error until the peer protocol exists, without hanging', async () => {
  const r = parse(await request('GET', { command: 'get status', destination: '127.0.0.1:32280', ...AGENT }));
  assert.match(r.head, /^HTTP\/1\.1 400 /);
  assert.match(JSON.parse(r.body).local_msg, /does not route commands to peers yet/);
});

test('calls are counted per caller and verb for get rest calls', async () => {
  const text = (await node.execute('get rest calls')).text;
  assert.match(text, new RegExp(`Statistics for REST calls using http://127\\.0\\.0\\.1:${port}`));
  assert.match(text, /\r\nanylog +\|GET \| +\d+\| +\d+\|/);
  assert.match(text, /\r\n +\|POST\| +\d+\| +\d+\|/);
  assert.match(text, /AnyLog-V1\|/);
  assert.match(text, /\r\nurl +\|GET \|/);
});

test("a curl line from EdgeLake's documentation works unchanged", async () => {
  const { stdout } = await promisify(execFile)('curl', ['-s', '-X', 'GET', `127.0.0.1:${port}`, '-H', 'command: get status', '-H', 'User-Agent: AnyLog/1.23']);
  assert.equal(stdout, 'AnyLog@127.0.0.1 running');
});

test('a second run rest server is refused: process already active', async () => {
  const r = await node.execute(`run rest server where external_ip = 127.0.0.1 and external_port = ${port}`);
  assert.equal(r.code, 136);
});

test('get rest server info and get rest pool print as the real node for the same configuration', async () => {
  const other = new EdgeNode({ home, ip: '127.0.0.1' });
  await other.start();
  try {
    const probe = (await import('node:net')).createServer();
    await new Promise<void>((ok) => probe.listen(0, '127.0.0.1', ok));
    const p = (probe.address() as { port: number }).port;
    await new Promise<void>((ok) => probe.close(() => ok()));
    await other.execute(`run rest server where external_ip = 127.0.0.1 and external_port = ${p} and internal_ip = 127.0.0.1 and internal_port = ${p} and bind = true and timeout = 20 and threads = 3`);
    const [info] = (await import('../testing/transcripts.js')).cliSections('get-rest-server-info.txt');
    const expected = info!.output.replace('http://127.0.0.1:32281', `http://127.0.0.1:${p}`.padEnd(22));
    if (String(p).length === 5) assert.equal((await other.execute('get rest server info')).text, expected);
    const pool = (await other.execute('get rest pool')).text;
    assert.equal(pool, 'REST Pool with 3 threads:                                   [0, 0, 0] (0)\r\n');
  } finally {
    await other.stop();
  }
});
