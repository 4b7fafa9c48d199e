// The watch directory as a careless device or user leaves it (issue 10): leftovers of a killed operator, names the
// watcher never reports, links, directories, a slow writer, a gzip bomb, and a file that can never be archived.
// Every entry ends in tsd_info, in the error directory with a reason, or is ignored by the documented rule.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, open, readdir, readFile, rename, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { EdgeNode } from '../node.js';

const POLICY = '{"operator": {"name": "op", "company": "c", "ip": "127.0.0.1", "port": 32348, "cluster": "c1", "id": "filespolicy", "member": 4}}\n';

let home: string;
let node: EdgeNode;
let watch: string;
let errDir: string;

async function until(what: string, probe: () => Promise<boolean>, ms = 20_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await probe())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function scalar(sql: string): Promise<unknown> {
  const r = await node.execute(`sql test format = json and stat = false "${sql}"`);
  assert.equal(r.code, 0, r.text);
  return Object.values((r.json as { Query: Record<string, unknown>[] }).Query[0]!)[0];
}

async function reasonOf(file: string): Promise<{ code: number; reason: string; source: string }> {
  return JSON.parse(await readFile(join(errDir, `${file}.err.json`), 'utf8'));
}

before(async () => {
  home = await mkdtemp(join(tmpdir(), 'edgelake-files-'));
  node = new EdgeNode({ home, ip: '127.0.0.1', operatorTiming: { settleMs: 300, retryMs: 30, rescanMs: 200 } });
  await node.start();
  await writeFile(node.dictionary.get('blockchain_file')!, POLICY);
  for (const c of ['connect dbms almgm where type = sqlite', 'connect dbms test where type = sqlite', 'create table tsd_info where dbms = almgm']) {
    assert.equal((await node.execute(c)).code, 0, c);
  }
  watch = node.dictionary.get('watch_dir')!;
  errDir = node.dictionary.get('err_dir')!;
  // What a kill leaves: a temporary archive copy, and a reason written just before the kill came between moving a
  // file to the error directory and putting its reason in place.
  const day = join(node.dictionary.get('archive_dir')!, '26', '11', '23');
  await mkdir(day, { recursive: true });
  await writeFile(join(day, 'test.readings.0.89f68d4a873dcd0568f84608c1a2f56a.0.4.1.261123004020.json.gz.tmp-4242'), 'half');
  await mkdir(errDir, { recursive: true });
  await writeFile(join(errDir, 'test.moved.json'), '{"a": 1');
  await writeFile(join(errDir, 'test.moved.json.err.json.tmp-4242'), '{"file": "test.moved.json", "code": 67, "reason": "test.moved.json: line 1 is not valid JSON"}');
  await writeFile(join(errDir, 'test.stayed.json.err.json.tmp-4242'), '{}');
  const r = await node.execute('run operator where policy = filespolicy and update_tsd_info = true');
  assert.equal(r.code, 0, r.text);
});
after(async () => {
  await node.stop();
  await rm(home, { recursive: true, force: true });
});

test('leftovers of a killed operator are cleaned when it starts; a misspelt max_file_size gets a did-you-mean', async () => {
  assert.deepEqual(await readdir(join(node.dictionary.get('archive_dir')!, '26', '11', '23')), [], 'the temporary archive copy is removed');
  assert.deepEqual((await readdir(errDir)).sort(), ['test.moved.json', 'test.moved.json.err.json'], 'the moved file gets its reason; a reason without its file goes');
  assert.equal((await reasonOf('test.moved.json')).code, 67);
  const typo = await node.execute('run operator where policy = filespolicy and max_file_sise = 1MB');
  assert.equal(typo.code, 2);
  assert.match(typo.detail!, /Unknown key 'max_file_sise'.*did you mean 'max_file_size'/);
});

test('a file written line by line, 100 ms apart, is taken only when complete: every row lands', async () => {
  const handle = await open(join(watch, 'test.slow.json'), 'w');
  for (let i = 0; i < 25; i++) {
    await handle.write(`${JSON.stringify({ seq: i, value: i * 2 })}\n`);
    await new Promise((r) => setTimeout(r, 100));
  }
  await handle.close();
  await until('the slow file', async () => !existsSync(join(watch, 'test.slow.json')));
  await node.operator.drained();
  assert.equal(await scalar('select count(*) from slow'), 25);
  assert.ok(!existsSync(join(errDir, 'test.slow.json')));
});

test('entries the watcher never reports and entries that are not files end in the error directory or are ignored by rule', async () => {
  const outside = join(home, 'outside');
  await mkdir(outside);
  await symlink(join(outside, 'gone.json'), join(watch, 'test.dangling.json'));
  await mkdir(join(outside, 'dir'));
  await symlink(join(watch, 'sub'), join(watch, 'test.linkdir.json'));
  await mkdir(join(watch, 'sub'));
  await mkdir(join(watch, 'test.dir.json'));
  await writeFile(join(watch, 'test.backup.json~'), '{"a": 1}\n');
  await writeFile(join(outside, 'bomb.gz'), gzipSync(Buffer.alloc(128 * 1024 * 1024, 0x20), { level: 9 }));
  await rename(join(outside, 'bomb.gz'), join(watch, 'test.bomb.json.gz'));
  await writeFile(join(outside, 'secret.txt'), 'password=hunter2\n');
  await symlink(join(outside, 'secret.txt'), join(watch, 'test.secret.json'));

  const expected = ['test.bomb.json.gz', 'test.dangling.json', 'test.dir.json', 'test.linkdir.json', 'test.secret.json'];
  await until('every entry to be accounted for', async () => expected.every((f) => existsSync(join(errDir, `${f}.err.json`))));
  assert.deepEqual((await readdir(watch)).sort(), ['sub', 'test.backup.json~'], 'left: a directory not named like data, an editor backup (both ignored by rule)');
  assert.match((await reasonOf('test.dangling.json')).reason, /a symbolic link to '.*gone\.json', which does not exist/);
  assert.match((await reasonOf('test.linkdir.json')).reason, /a symbolic link to a directory; the operator ingests files only/);
  assert.match((await reasonOf('test.dir.json')).reason, /test\.dir\.json: a directory/);
  assert.match((await reasonOf('test.bomb.json.gz')).reason, /decompresses to more than max_file_size = 64 MB/);
  const secret = await reasonOf('test.secret.json');
  assert.match(secret.reason, /outside the watch directory/);
  assert.doesNotMatch(secret.reason, /hunter2/);
  const listed = (await node.execute('get tsd errors where format = json')).json as { file: string; reason: string }[];
  for (const f of expected) assert.ok(listed.some((e) => e.file === f && e.reason.includes(f)), `get tsd errors lists ${f} with a reason naming it`);
});

test(`a file that cannot be archived is given up after 5 attempts with its last reason, and finishes when dropped again`, async () => {
  assert.equal((await node.execute('exit operator')).code, 0);
  const archiveDir = node.dictionary.get('archive_dir')!;
  const blocked = join(home, 'not-a-directory');
  await writeFile(blocked, '');
  node.dictionary.set('archive_dir', blocked);
  assert.equal((await node.execute('run operator where policy = filespolicy and update_tsd_info = true')).code, 0);
  await writeFile(join(home, 'test.stuck.json'), '{"seq": 1}\n{"seq": 2}\n');
  await rename(join(home, 'test.stuck.json'), join(watch, 'test.stuck.json'));
  await until('the stuck file to be given up', async () => existsSync(join(errDir, 'test.stuck.json.err.json')));
  const reason = await reasonOf('test.stuck.json');
  assert.match(reason.reason, /^test\.stuck\.json: rows committed.*the operator gave up after 5 attempts; fix the cause, then drop the file into the watch directory again/);
  assert.equal(await scalar('select count(*) from stuck'), 2);

  assert.equal((await node.execute('exit operator')).code, 0);
  node.dictionary.set('archive_dir', archiveDir);
  assert.equal((await node.execute('run operator where policy = filespolicy and update_tsd_info = true')).code, 0);
  await rename(join(errDir, 'test.stuck.json'), join(watch, 'test.stuck.json'));
  await until('the dropped-again file', async () => !existsSync(join(watch, 'test.stuck.json')));
  await node.operator.drained();
  assert.equal(await scalar('select count(*) from stuck'), 2, 'its rows are not inserted twice');
  assert.ok(!existsSync(join(errDir, 'test.stuck.json')));
});
