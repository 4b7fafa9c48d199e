// Our node as an operator answering a real EdgeLake query node: the captured requests are replayed to it (their
// reply address pointed at a test listener) and its result streams compared with what the real operator sent.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { EdgeNode } from '../node.js';
import { freePort } from '../testing/net.js';
import { SPEC_DIR } from '../testing/transcripts.js';
import { BLOCK_SIZE, decodeBlock, decodeSegments, encodeBlock, type Block } from '../peer/codec.js';
import { PeerListener, sendMessage } from '../peer/transport.js';

const vector = (name: string): Block[] => {
  const bytes = Buffer.from(readFileSync(join(SPEC_DIR, 'vectors', `${name}.hex`), 'utf8').replace(/\s+/g, ''), 'hex');
  return Array.from({ length: bytes.length / BLOCK_SIZE }, (_, i) => decodeBlock(bytes.subarray(i * BLOCK_SIZE, (i + 1) * BLOCK_SIZE)));
};

let home: string;
let node: EdgeNode;
let port: number;
let listener: PeerListener;
let listenPort: number;
const inbox: Block[][] = [];

/** Replays a captured request to our operator and waits for `messages` reply messages. */
async function ask(request: string, messages = 1): Promise<Block[][]> {
  inbox.length = 0;
  const [block] = vector(request);
  await sendMessage('127.0.0.1', port, [encodeBlock({ ...block!.header, ip: '127.0.0.1', port: listenPort }, block!.command, block!.data)]);
  const end = Date.now() + 5000;
  while (inbox.length < messages && Date.now() < end) await new Promise((r) => setTimeout(r, 10));
  assert.equal(inbox.length, messages, `${request}: ${inbox.length} replies`);
  return [...inbox].sort((a, b) => a[0]!.header.partitionId - b[0]!.header.partitionId);
}

/** Our reply against the real operator's: data and the header fields the operator sets (not the reply address). */
function same(ours: Block[], theirs: Block[], what: string): void {
  assert.equal(ours.length, theirs.length, `${what}: blocks`);
  ours.forEach((o, i) => {
    const t = theirs[i]!;
    for (const k of ['blockCounter', 'last', 'infoType', 'dataStruct', 'error', 'segmentCount', 'partitionsUsed', 'partitionId', 'jobLocation', 'jobId', 'receivers', 'receiverId'] as const) {
      assert.equal(o.header[k], t.header[k], `${what} block ${i + 1}: ${k}`);
    }
    assert.equal(o.command, t.command, `${what} block ${i + 1}: command`);
    assert.ok(o.data.equals(t.data), `${what} block ${i + 1}: data`);
  });
}

before(async () => {
  home = await mkdtemp(join(tmpdir(), 'edgelake-opq-'));
  node = new EdgeNode({ home, ip: '127.0.0.1' });
  await node.start();
  port = await freePort();
  listenPort = await freePort();
  listener = new PeerListener((m) => inbox.push(m.blocks));
  await listener.listen('127.0.0.1', listenPort);
  for (const c of [
    'connect dbms test where type = sqlite',
    `run tcp server where external_ip = 127.0.0.1 and external_port = ${port} and internal_ip = 127.0.0.1 and internal_port = ${port} and bind = true`,
    'sql test "create table t1 (row_id integer primary key autoincrement, insert_timestamp timestamp not null default current_timestamp, tsd_name char(3), tsd_id int, timestamp timestamp not null default current_timestamp, value int, name varchar)"',
    'sql test "create table tempty (value int)"',
    'sql test "create table t2 (timestamp timestamp, value int)"',
    'sql test "create table par_t2_2024_01_01_d01_timestamp (timestamp timestamp, value int)"',
    'sql test "create table par_t2_2024_01_02_d01_timestamp (timestamp timestamp, value int)"',
    'partition test t2 using timestamp by day',
  ]) {
    const r = await node.execute(c);
    assert.equal(r.code, 0, `${c}: ${r.text}`);
  }
  // The rows the real operator held, read back from its replies.
  const rows = vector('sql-select-30rows.reply-3blocks').flatMap((b) => decodeSegments(b.data));
  let pending = '';
  const db = node.databases.get('test');
  for (const s of rows) {
    pending += s.text;
    if (s.status === 1) continue;
    const values = (JSON.parse(pending) as { Query: Record<string, string>[] }).Query[0]!;
    await db.run('insert into t1 (timestamp, value, name) values (?, ?, ?)', [values['0'], Number(values['1']), values['2']]);
    pending = '';
  }
  for (const [table, base] of [['par_t2_2024_01_01_d01_timestamp', 0], ['par_t2_2024_01_02_d01_timestamp', 100]] as const) {
    for (let i = 1; i <= 3; i++) await db.run(`insert into ${table} (timestamp, value) values (?, ?)`, [`2024-01-0${base ? 2 : 1} 00:00:0${i}`, base + i]);
  }
});
after(async () => {
  await listener.close();
  await node.stop();
  await rm(home, { recursive: true, force: true });
});

test('30 rows come back in the same 3 blocks, segments and counts as from the real operator', async () => {
  const [reply] = await ask('sql-select-30rows.request');
  same(reply!, vector('sql-select-30rows.reply-3blocks'), '30 rows');
});

test('a where clause selects what the real operator selected', async () => {
  same((await ask('sql-select-2rows.request'))[0]!, vector('sql-select-2rows.reply'), '2 rows');
});

test('a partitioned table answers one stream per partition', async () => {
  const replies = await ask('sql-partitioned.request', 2);
  same(replies[0]!, vector('sql-partitioned.reply-partition0'), 'partition 0');
  same(replies[1]!, vector('sql-partitioned.reply-partition1'), 'partition 1');
});

test('an empty table, a missing table (1006) and an unconnected dbms (5) answer as the real operator', async () => {
  same((await ask('sql-empty-table.request'))[0]!, vector('sql-empty-table.reply'), 'empty table');
  const [missing] = await ask('sql-missing-table.request');
  same(missing!, vector('sql-missing-table.reply-empty-set-1006'), 'missing table');
  assert.equal(missing![0]!.header.port, port, 'the error path names the operator');
  same((await ask('sql-dbms-not-connected.request'))[0]!, vector('sql-dbms-not-connected.reply-error-5'), 'dbms not connected');
});

test('info table ... columns answers the structure as the real operator', async () => {
  same((await ask('info-table-columns.request'))[0]!, vector('info-table-columns.reply'), 'info table');
});

test('a row longer than a block is cut across three blocks exactly as the real operator cuts it', async () => {
  const reply = vector('sql-row-spanning-3-blocks.reply-3blocks');
  const text = reply.flatMap((b) => decodeSegments(b.data)).map((s) => s.text).join('');
  const values = (JSON.parse(text) as { Query: Record<string, string>[] }).Query[0]!;
  const db = node.databases.get('test');
  await db.run('delete from t1');
  await db.run('insert into t1 (value, name) values (?, ?)', [Number(values['0']), values['1']]);
  same((await ask('sql-row-spanning-3-blocks.request'))[0]!, reply, 'row spanning 3 blocks');
});

test('queries from the network run in the query pool: get processes shows it as EdgeLake does, get query pool counts them', async () => {
  assert.match((await node.execute('get processes')).text, /Query Pool +\|Running +\|Threads Pool: 3 +\|/);
  const summary = (await node.execute('get query pool')).text;
  assert.match(summary, /^Query Pool with 3 threads: +\[0, 0, 0\] \(\d+\)\r\n$/);
  assert.equal(summary.indexOf('['), 60, 'the busy flags start at column 60, as in get-query-pool.txt');
  assert.ok(Number(/\((\d+)\)/.exec(summary)![1]) > 0, 'the queries of the tests above were served by the pool');
  assert.match((await node.execute('get query pool where details = true')).text, /Query Pool:\r\nThread Status Calls Percentage/);
});
