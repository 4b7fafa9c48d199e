// Reliability of the REST server (issue 10): a node on a loopback port is sent fuzzed and abusive requests —
// random methods, targets and versions, huge, malformed and duplicated headers, bad lengths, chunked garbage,
// bodies past the limit, half-open, stalled and abandoned connections, give-ups while queued, a thousand at once —
// while a probe keeps asking `get status`. Figures:
//   tried        abusive connections
//   survived     of those, the ones after which the next probe was answered
//   lost         probes or well-formed requests that got no 200
//   unaccounted  connections the server never closed, pool slots held or sockets open at the end, RSS far
//                above idle (> idle + 100 MB after a GC)
//   unclear      413 / 408 / 431 answers that do not name the limit, 500 answers
// Bounded: a few thousand connections, about a minute (`--short`: a tenth). Loopback only.
import { mkdtemp, rm } from 'node:fs/promises';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EdgeNode } from '../electron/services/node.js';
import { commandRequest, parseReply, rawRequest, waitFor, type RawReply } from '../electron/services/testing/http.js';
import { freePort } from '../electron/services/testing/net.js';
import { seeded } from '../electron/services/testing/fuzz.js';
import { bounded, Probe, settledRssMb } from './probe.js';
import { report, SHORT } from './report.js';

const scale = SHORT ? 0.1 : 1;
const size = (n: number) => Math.max(2, Math.round(n * scale));
const READ_TIMEOUT = 2; // seconds: stalled clients go within the run
const CAP_MS = 2 * READ_TIMEOUT * 1000 + 4000; // a connection the server has not closed by then is hung
const random = seeded(10);
const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;

interface Attempt {
  parts: (string | Buffer)[];
  gapMs?: number;
  /** 'wait': for the server to close; 'half-close': end our side, then wait; a number: give up after so many ms. */
  then: 'wait' | 'half-close' | number;
  /** Bytes of body streamed after the parts (a 1 MB buffer written again and again, as fast as the server reads). */
  stream?: number;
  /** A HEAD request: its answers carry no body (HTTP), so there is no reason to read. */
  bodiless?: boolean;
}

interface Outcome {
  reply: RawReply;
  /** The server closed the connection (false: we gave up, or the cap passed). */
  closedByServer: boolean;
  /** The server had neither answered nor closed by CAP_MS. */
  hung: boolean;
}

const MB = Buffer.alloc(1024 * 1024, 'a');

function drainedOrClosed(socket: Socket): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      socket.off('drain', done);
      socket.off('close', done);
      resolve();
    };
    socket.on('drain', done);
    socket.on('close', done);
  });
}

function attempt(port: number, a: Attempt): Promise<Outcome> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let ended = false;
    let gaveUp = false;
    let capped = false;
    const socket = connect(port, '127.0.0.1');
    const cap = setTimeout(() => ((capped = true), socket.destroy()), CAP_MS);
    socket.on('data', (d: Buffer) => chunks.push(d));
    socket.on('error', () => undefined);
    socket.on('close', () => {
      ended = true;
      clearTimeout(cap);
      resolve({ reply: parseReply(Buffer.concat(chunks)), closedByServer: !gaveUp && !capped, hung: capped });
    });
    socket.on('connect', async () => {
      for (const part of a.parts) {
        if (ended) return;
        socket.write(part);
        if (a.gapMs) await new Promise((r) => setTimeout(r, a.gapMs));
      }
      for (let sent = 0; a.stream && sent < a.stream && !ended; sent += MB.length) {
        if (!socket.write(MB)) await drainedOrClosed(socket);
      }
      if (a.then === 'half-close') socket.end();
      else if (typeof a.then === 'number') setTimeout(() => ((gaveUp = true), socket.destroy()), a.then);
    });
  });
}

// ---- the fuzzed request -------------------------------------------------------------------------------------------

const METHODS = ['GET', 'POST', 'PUT', 'DELETE', 'HEAD', 'OPTIONS', 'PATCH', 'TRACE', 'get', 'G@T', 'X'.repeat(300), ''];
const TARGETS = ['/', '/', '/health', '/api/status', '/?User-Agent=AnyLog/1.23?command=get%20status', '/?=', '/%zz', '*', 'http://x/', `/${'a'.repeat(9000)}`, '/a b'];
const VERSIONS = ['HTTP/1.1', 'HTTP/1.1', 'HTTP/1.0', 'HTTP/2.0', 'HTTP/9.9', 'FOO/1.1', ''];
const COMMANDS = ['get status', 'get rest pool', 'get processes', 'blah blah', 'wait 0.05', 'rel_x = 1', 'get !nothing', 'sql nodb "select 1"', 'get status where format = json', '', '"unclosed', 'ä ö ü €'];
const AGENTS = ['AnyLog/1.23', 'anylog/1.0', 'curl/8.0', 'Grafana/9', 'Mozilla/5.0', '', '/'];

function randomBytes(n: number): Buffer {
  return Buffer.from(Array.from({ length: n }, () => Math.floor(random() * 256)));
}

function fuzzedHeaders(): string[] {
  const headers: string[] = [];
  if (random() < 0.8) headers.push(`command: ${pick(COMMANDS)}`);
  if (random() < 0.8) headers.push(`User-Agent: ${pick(AGENTS)}`);
  const extras = [
    () => `command: ${pick(COMMANDS)}`, // duplicated
    () => `X-Huge: ${'h'.repeat(70 * 1024)}`, // past the 64 KB header limit
    () => Array.from({ length: 500 }, (_, i) => `X-Many-${i}: ${i}`).join('\r\n'),
    () => 'no colon here',
    () => ' leading: space',
    () => 'bad\x00char: x',
    () => 'Bad Name: x',
    () => `timeout: ${pick(['1', 'abc', '-5', '2 minutes', '0'])}`,
    () => 'destination: 127.0.0.1:1',
    () => 'assignment: rel_a',
    () => 'Expect: 100-continue',
    () => `Content-Type: ${pick(['application/octet-stream', 'text/plain', 'x'])}`,
    () => 'folded: a\r\n  continued',
  ];
  while (random() < 0.45) headers.push(pick(extras)());
  return headers;
}

/** A body and its framing headers: right, wrong, or garbage. */
function fuzzedBody(): { headers: string[]; body: Buffer } {
  const text = Buffer.from(pick(['rel_b = 2\n', '', '{"command": "get status", "User-Agent": "AnyLog/1.23"}', 'blah\n']), 'utf8');
  const chunk = (b: Buffer) => Buffer.concat([Buffer.from(`${b.length.toString(16)}\r\n`), b, Buffer.from('\r\n')]);
  switch (Math.floor(random() * 12)) {
    case 0:
    case 1:
      return { headers: [], body: Buffer.alloc(0) };
    case 2:
      return { headers: [`Content-Length: ${text.length}`], body: text };
    case 3: // announced more than sent: stalls until read_timeout
      return { headers: [`Content-Length: ${text.length + 10}`], body: text };
    case 4: // more sent than announced: the rest is a second, garbage request
      return { headers: ['Content-Length: 2'], body: randomBytes(40) };
    case 5:
      return { headers: [`Content-Length: ${pick(['-1', 'abc', '1e3', '99999999999999999999', '', '0x10', '5, 6'])}`], body: text };
    case 6: // two lengths, or length and chunked (request smuggling shapes)
      return { headers: pick([['Content-Length: 3', 'Content-Length: 4'], ['Content-Length: 3', 'Transfer-Encoding: chunked']]), body: text };
    case 7:
      return { headers: ['Transfer-Encoding: chunked'], body: Buffer.concat([chunk(text), Buffer.from('0\r\n\r\n')]) };
    case 8: // chunked garbage
      return { headers: [`Transfer-Encoding: ${pick(['chunked', 'gzip, chunked', 'xchunked', 'chunked, identity'])}`], body: Buffer.from(pick(['zz\r\nabc\r\n0\r\n\r\n', 'ffffffffffffffff\r\n', '5;ext=\x01\r\nabcde\r\n0\r\n\r\n', '-3\r\nabc\r\n', '3\r\nabcdef\r\n'])) };
    case 9: // chunked, never finished
      return { headers: ['Transfer-Encoding: chunked'], body: chunk(text) };
    case 10:
      return { headers: [`Content-Length: 64`], body: randomBytes(64) };
    default:
      return { headers: [], body: randomBytes(200) };
  }
}

function fuzzedAttempt(): Attempt {
  if (random() < 0.05) return { parts: [randomBytes(1 + Math.floor(random() * 3000))], then: 'wait' };
  const body = fuzzedBody();
  const head = `${pick(METHODS)} ${pick(TARGETS)} ${pick(VERSIONS)}\r\n${[...fuzzedHeaders(), ...body.headers].map((h) => `${h}\r\n`).join('')}\r\n`;
  const bytes = Buffer.concat([Buffer.from(head, 'latin1'), body.body]);
  const bodiless = head.startsWith('HEAD ');
  const split = random() < 0.2 ? Math.floor(random() * bytes.length) : bytes.length; // some arrive in two pieces
  const parts = [bytes.subarray(0, split), bytes.subarray(split)].filter((p) => p.length > 0);
  const then = random() < 0.1 ? 'half-close' : random() < 0.1 ? Math.floor(random() * 300) : 'wait';
  return { parts, gapMs: 20, then, bodiless };
}

// ---- the run ------------------------------------------------------------------------------------------------------

const home = await mkdtemp(join(tmpdir(), 'edgelake-rel-rest-'));
const node = new EdgeNode({ home, ip: '127.0.0.1' });
await node.start();
const port = await freePort();
const started = await node.execute(
  `run rest server where external_ip = 127.0.0.1 and external_port = ${port} and internal_ip = 127.0.0.1 and internal_port = ${port} and bind = true and timeout = 5 and read_timeout = ${READ_TIMEOUT}`,
);
if (started.code !== 0) throw new Error(started.text);

const poolText = async () => (await node.execute('get rest pool')).text.trim();
const idle = async () => /\[0, 0, 0, 0, 0\]/.test(await poolText());
const okStatus = async (timeoutMs: number) => {
  const r = await rawRequest(port, commandRequest('get status'), timeoutMs);
  if (r.status !== 200 || !/running/.test(r.body)) throw new Error(`get status answered ${r.status} ${r.body.slice(0, 80)}`);
};

await bounded(50, 5, () => okStatus(5000));
const idleRss = await settledRssMb();
const t0 = Date.now();
const probe = new Probe(() => okStatus(10_000));
probe.start();

const ends: number[] = [];
let tried = 0;
let hung = 0;
let unclear = 0;
let lost = 0;
const unclearSeen: string[] = [];
const phases: string[] = [];

/** An error answer names what was wrong: the limit and its option, or the header limit; a 500 never does. */
function namesItsProblem(status: number, body: string): boolean {
  if (status === 413) return /max_body_size/.test(body) && /\d+ (KB|MB|GB|bytes)/.test(body);
  if (status === 408) return /read_timeout/.test(body);
  if (status === 431) return /64 KB/.test(body);
  return status !== 500;
}

/** Counts the outcome of one abusive connection: hung, or an answer that does not name its problem. */
function judge(o: Outcome, expect?: number, bodiless = false): void {
  tried++;
  if (o.hung) hung++;
  const { status, body } = o.reply;
  if (status === 0) return; // closed without an answer: a give-up, a reset, a request too broken to answer
  const clear = (bodiless && status !== 500) || namesItsProblem(status, body); // HEAD answers carry no body
  if (!clear || (expect !== undefined && status !== expect)) {
    unclear++;
    if (unclearSeen.length < 5) unclearSeen.push(JSON.stringify(`${o.reply.head.slice(0, 300)} ${body.slice(0, 100)}`));
  }
}

async function phase(name: string, run: () => Promise<void>): Promise<void> {
  const before = tried;
  const t = Date.now();
  await run();
  const seconds = ((Date.now() - t) / 1000).toFixed(1);
  phases.push(`${name} ${tried - before} in ${seconds} s (RSS then ${await settledRssMb(100)} MB)`);
}

await phase('fuzzed', async () => {
  const attempts = Array.from({ length: size(2000) }, fuzzedAttempt);
  ends.push(...(await bounded(attempts.length, 64, async (i) => judge(await attempt(port, attempts[i]!), undefined, attempts[i]!.bodiless))));
});

await phase('stalled', async () => {
  // Connect and say nothing, half the headers, the headers and half the body: all held at once until the server drops them.
  const shapes: Attempt[] = [
    { parts: [], then: 'wait' },
    { parts: ['POST / HTTP/1.1\r\ncommand: get status\r\n'], then: 'wait' },
    { parts: ['POST / HTTP/1.1\r\ncommand: rel_s = 1\r\nUser-Agent: AnyLog/1.23\r\nContent-Length: 100\r\n\r\nrel_t'], then: 'wait' },
    { parts: ['G', 'E', 'T', ' ', '/'], gapMs: 500, then: 'wait' }, // slowloris: a byte now and then
  ];
  const n = size(300);
  ends.push(...(await bounded(n, n, async (i) => judge(await attempt(port, shapes[i % shapes.length]!)))));
});

await phase('half-open', async () => {
  const shapes: Attempt[] = [
    { parts: [commandRequest('get status')], then: 'half-close' },
    { parts: ['GET / HTTP/1.1\r\ncommand: get'], then: 'half-close' },
    { parts: ['POST / HTTP/1.1\r\ncommand: rel_h = 1\r\nUser-Agent: AnyLog/1.23\r\nContent-Length: 50\r\n\r\nabc'], then: 'half-close' },
  ];
  ends.push(...(await bounded(size(200), 50, async (i) => judge(await attempt(port, shapes[i % shapes.length]!)))));
});

await phase('give-ups while queued', async () => {
  for (let round = 0; round < size(20); round++) {
    // Five slow commands take every worker; twenty get status queue behind them and give up; the slow ones finish.
    const fillers = Array.from({ length: 5 }, () => attempt(port, { parts: [commandRequest('wait 0.5')], then: 'wait' }));
    await new Promise((r) => setTimeout(r, 50));
    const quitters = Array.from({ length: 20 }, () => attempt(port, { parts: [commandRequest('get status')], then: 50 + Math.floor(random() * 200) }));
    for (const o of await Promise.all([...fillers, ...quitters])) {
      judge(o);
      ends.push(Date.now());
    }
  }
  if (!(await waitFor(idle, 2000))) hung++;
});

await phase('past the body limit', async () => {
  const big: Attempt[] = [
    { parts: ['POST / HTTP/1.1\r\ncommand: rel_big = 1\r\nUser-Agent: AnyLog/1.23\r\nContent-Length: 314572800\r\n\r\n'], then: 'wait' },
    { parts: ['POST / HTTP/1.1\r\ncommand: rel_big = 1\r\nUser-Agent: AnyLog/1.23\r\nContent-Length: 314572800\r\n\r\n'], stream: 300 * 1024 * 1024, then: 'wait' },
    { parts: ['POST / HTTP/1.1\r\ncommand: rel_big = 1\r\nUser-Agent: AnyLog/1.23\r\nTransfer-Encoding: chunked\r\n\r\n4000000\r\n'], stream: 64 * 1024 * 1024, then: 'wait' },
    { parts: ['POST / HTTP/1.1\r\ncommand: rel_big = 1\r\nUser-Agent: AnyLog/1.23\r\nContent-Length: 40000000\r\nExpect: 100-continue\r\n\r\n'], then: 'wait' },
  ];
  const n = SHORT ? big.length : 3 * big.length;
  ends.push(...(await bounded(n, 4, async (i) => judge(await attempt(port, big[i % big.length]!), 413))));
});

await phase('at once', async () => {
  // Well-formed requests, all at once: each must be answered (a miss is lost, not merely abusive).
  const n = size(1000);
  const results = await Promise.all(Array.from({ length: n }, () => okStatus(20_000).then(() => true, () => false)));
  tried += n;
  lost += results.filter((ok) => !ok).length;
  ends.push(...results.map(() => Date.now()));
});

await probe.stop();
const seconds = (Date.now() - t0) / 1000;
lost += probe.failures.length;
const poolAtEnd = (await waitFor(idle, 3000)) ? 'idle' : await poolText();
const openAtEnd = (await waitFor(() => node.rest.openConnections() === 0, CAP_MS)) ? 0 : node.rest.openConnections();
const endRss = await settledRssMb(1000);
let unaccounted = hung + (poolAtEnd === 'idle' ? 0 : 1) + openAtEnd + (endRss > idleRss + 100 ? 1 : 0);
if (node.rest.pool?.queued) unaccounted++;

await node.stop();
await rm(home, { recursive: true, force: true });

report({
  name: 'rest',
  tried,
  survived: probe.survivors(ends),
  lost,
  duplicated: 0,
  unaccounted,
  unclear,
  notes: [
    `${seconds.toFixed(0)} s; ${phases.join('; ')}`,
    `probe: ${probe.asked} get status, ${probe.failures.length} failed${probe.failures.length ? ` (${probe.failures.slice(0, 3).join(' | ')})` : ''}`,
    `RSS idle ${idleRss} MB, after ${endRss} MB (after a GC); pool at the end: ${poolAtEnd}; sockets open at the end: ${openAtEnd}; hung connections: ${hung}`,
    ...(unclearSeen.length ? [`unclear answers: ${unclearSeen.join(' | ')}`] : []),
  ],
});
