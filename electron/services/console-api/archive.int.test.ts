// The Archive panel's re-ingest through the console's handlers, on a real node with a running operator: a file
// keeps its identity (its hash) when it goes back to the watch directory, so its rows are never stored twice.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { PushEventName, PushEvents } from '../../../shared/contract.js';
import type { FileOutcome } from '../../../shared/types.js';
import { EdgeNode } from '../node.js';
import { embeddedLink } from './embedded-link.js';
import { createHandlers, subscribeEvents } from './handlers.js';

const POLICY = '{"operator": {"name": "op", "company": "c", "cluster": "c1", "id": "reingestpolicy", "member": 7}}\n';
const ROWS = 374;
// The hash a producer put in the name (an HA member's file, or a device that names its files): not the one the
// operator would compute from the bytes, so only the name keeps the file's identity.
const NAMED_HASH = createHash('md5').update('given by the producer').digest('hex');
const CONTENT = Array.from({ length: ROWS }, (_, i) => JSON.stringify({ timestamp: `2024-05-01T10:${String(i % 60).padStart(2, '0')}:00Z`, device: `d${i}`, value: i })).join('\n');

let home: string;
let node: EdgeNode;
let handlers: ReturnType<typeof createHandlers>;
let archived: string;
const events: { event: PushEventName; payload: unknown }[] = [];
let unsubscribe: () => void;

async function rows(): Promise<number> {
  const r = await node.execute('sql test format = json and stat = false "select count(*) as n from readings"');
  return Number((r.json as { Query: { n: number }[] }).Query[0]!.n);
}

/** Until the watch directory is empty and the operator idle (bounded). */
async function drained(): Promise<void> {
  const watch = node.dictionary.get('watch_dir')!;
  const end = Date.now() + 20_000;
  while ((await readdir(watch)).length > 0 && Date.now() < end) await new Promise((r) => setTimeout(r, 50));
  await node.operator.drained();
}

before(async () => {
  home = await mkdtemp(join(tmpdir(), 'edgelake-reingest-'));
  node = new EdgeNode({ home, ip: '127.0.0.1' });
  await node.start();
  handlers = createHandlers(embeddedLink(node));
  unsubscribe = subscribeEvents(embeddedLink(node), <E extends PushEventName>(event: E, payload: PushEvents[E]) => void events.push({ event, payload }));
  await writeFile(node.dictionary.get('blockchain_file')!, POLICY);
  for (const c of ['connect dbms almgm where type = sqlite', 'connect dbms test where type = sqlite', 'create table tsd_info where dbms = almgm', 'run operator where policy = reingestpolicy and update_tsd_info = true']) {
    const r = await node.execute(c);
    assert.equal(r.code, 0, `${c}: ${r.text}`);
  }
  await writeFile(join(node.dictionary.get('watch_dir')!, `test.readings.dev1.${NAMED_HASH}.0.json`), CONTENT);
  await drained();
  assert.equal(await rows(), ROWS);
  let path = '';
  for (let level = 0; level < 3; level++) path = [path, (await handlers['archive:list']({ path })).directories[0]!].filter(Boolean).join('/');
  archived = `${path}/${(await handlers['archive:list']({ path })).files[0]!.name}`;
  assert.match(archived, new RegExp(`/test\\.readings\\.dev1\\.${NAMED_HASH}\\.0\\.7\\.1\\.\\d{12}\\.json\\.gz$`));
});
after(async () => {
  unsubscribe();
  await node.stop();
  await rm(home, { recursive: true, force: true });
});

/** The operator's outcome for a file, as the console receives it (bounded wait). */
async function outcomeOf(file: string): Promise<FileOutcome> {
  const end = Date.now() + 20_000;
  for (;;) {
    for (const e of events) {
      const found = e.event === 'operator:files' ? (e.payload as FileOutcome[]).find((o) => o.file === file) : undefined;
      if (found) return found;
    }
    if (Date.now() > end) throw new Error(`no outcome pushed for ${file}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

test('re-ingesting an archived file whose rows are recorded stores no row twice, and the outcome says duplicate', async () => {
  const result = await handlers['archive:reingest']({ path: archived });
  await drained();
  assert.equal(await rows(), ROWS, 'no row doubled (before the fix the file came back under a short name, was given another hash and its 374 rows were stored again)');
  assert.equal(result.status, 'duplicate');
  assert.match(result.status === 'duplicate' ? result.message : '', /duplicate of the file recorded in tsd_info \(id 1, .*374 rows; hash [0-9a-f]{32}\)/);
  assert.deepEqual(await readdir(node.dictionary.get('err_dir')!), [], 'nothing left in the error directory');
});

test('the plan shows the identity the file goes back under, its rows, and the tsd_info record that makes it a duplicate', async () => {
  const plan = await handlers['archive:reingest-plan']({ path: archived });
  assert.equal(plan.reingestAs, `test.readings.dev1.${NAMED_HASH}.0.json.gz`);
  assert.equal(plan.hash, NAMED_HASH);
  assert.equal(plan.rows, ROWS);
  assert.deepEqual({ id: plan.recorded?.id, rows: plan.recorded?.rows, tsdInfo: plan.tsdInfo, operatorRunning: plan.operatorRunning }, { id: 1, rows: ROWS, tsdInfo: true, operatorRunning: true });
  await assert.rejects(handlers['archive:reingest-plan']({ path: archived.replace(/\/[^/]+$/, '/nothing.json') }), /is not a file of the archive/);
});

test('once its rows and tsd_info record are deleted, the file is re-ingested under its hash and the operator\'s outcome reaches the console', async () => {
  for (const c of ['sql test "delete from readings"', 'sql almgm "delete from tsd_info"']) assert.equal((await node.execute(c)).code, 0, c);
  const plan = await handlers['archive:reingest-plan']({ path: archived });
  assert.equal(plan.recorded, undefined);
  assert.equal(plan.rows, ROWS);
  const result = await handlers['archive:reingest']({ path: archived });
  assert.deepEqual(result, { status: 'queued', reingestedAs: plan.reingestAs, rows: ROWS });
  const outcome = await outcomeOf(plan.reingestAs);
  assert.deepEqual(outcome, { file: plan.reingestAs, status: 'ingested', dbms: 'test', table: 'readings', rows: ROWS });
  assert.equal(await rows(), ROWS);
  const recorded = (await node.execute('sql almgm format = json and stat = false "select file_hash from tsd_info"')).json as { Query: { file_hash: string }[] };
  assert.deepEqual(recorded.Query.map((r) => r.file_hash), [NAMED_HASH], 'recorded under the hash of its name');
  // And now it is a duplicate again.
  assert.equal((await handlers['archive:reingest']({ path: archived })).status, 'duplicate');
});
