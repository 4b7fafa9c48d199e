// Crash safety as the issue asks: a node process is killed (SIGKILL) while it ingests, restarted on the same home,
// and finishes the work: every row once, every file in tsd_info and the archive, nothing left in the watch dir.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdir, mkdtemp, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import Database from 'better-sqlite3';

const root = new URL('../../..', import.meta.url).pathname;
const FILES = 24;
const ROWS = 3000;

function startNode(home: string, script: string): { child: ChildProcess; exited: Promise<void> } {
  const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'electron/services/cli/main.ts'), '--home', home, '--no-console', '--script', script], {
    cwd: root,
    stdio: ['pipe', 'ignore', 'inherit'],
  });
  child.stdin!.end();
  return { child, exited: new Promise((r) => child.on('exit', () => r())) };
}

async function waitFor(what: string, probe: () => Promise<boolean>, ms = 60_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await probe())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

async function archived(home: string): Promise<number> {
  const dir = join(home, 'EdgeLake', 'data', 'archive');
  const all = await readdir(dir, { recursive: true }).catch(() => [] as string[]);
  return all.filter((f) => String(f).endsWith('.json.gz')).length;
}

test('a node killed during ingestion finishes after restart with no row lost and none doubled', async () => {
  const home = await mkdtemp(join(tmpdir(), 'edgelake-crash-'));
  await mkdir(join(home, 'EdgeLake', 'blockchain'), { recursive: true });
  await writeFile(join(home, 'EdgeLake', 'blockchain', 'blockchain.json'), '{"operator": {"name": "op", "company": "c", "ip": "127.0.0.1", "port": 32048, "cluster": "c1", "id": "crashpolicy", "member": 3}}\n');
  const script = join(home, 'start.al');
  await writeFile(
    script,
    ['connect dbms almgm where type = sqlite', 'connect dbms test where type = sqlite', 'create table tsd_info where dbms = almgm', 'run operator where policy = crashpolicy and update_tsd_info = true'].join('\n'),
  );
  const staging = join(home, 'staging');
  await mkdir(staging);
  for (let f = 0; f < FILES; f++) {
    const lines = Array.from({ length: ROWS }, (_, i) => JSON.stringify({ timestamp: new Date(Date.UTC(2024, 0, 1) + (f * ROWS + i) * 1000).toISOString(), file: f, seq: i, value: (i * 13) % 1000 }));
    await writeFile(join(staging, `test.readings.dev${f}.json`), lines.join('\n'));
  }

  const first = startNode(home, script);
  const watch = join(home, 'EdgeLake', 'data', 'watch');
  await waitFor('the first node to run its operator', async () => (await readdir(watch).catch(() => null)) !== null && (await readdir(join(home, 'EdgeLake', 'data', 'dbms')).catch(() => [] as string[])).includes('almgm.dbms'));
  await new Promise((r) => setTimeout(r, 700));
  for (const name of await readdir(staging)) await rename(join(staging, name), join(watch, name));
  // Kill it in the middle: some files done, others not.
  await waitFor('a few files to be archived', async () => (await archived(home)) >= 3);
  first.child.kill('SIGKILL');
  await first.exited;
  const doneBeforeKill = await archived(home);
  assert.ok(doneBeforeKill < FILES, `the kill came before the end (${doneBeforeKill} of ${FILES} archived)`);

  const second = startNode(home, script);
  await waitFor('the restarted node to finish', async () => (await readdir(watch)).length === 0 && (await archived(home)) === FILES);
  second.child.kill('SIGTERM');
  await second.exited;

  const data = new Database(join(home, 'EdgeLake', 'data', 'dbms', 'test.dbms'), { readonly: true });
  const tsd = new Database(join(home, 'EdgeLake', 'data', 'dbms', 'almgm.dbms'), { readonly: true });
  try {
    assert.equal((data.prepare('select count(*) n from readings').get() as { n: number }).n, FILES * ROWS, 'every row once');
    assert.equal((data.prepare('select count(*) n from (select file, seq from readings group by file, seq having count(*) > 1)').get() as { n: number }).n, 0, 'no row doubled');
    const files = tsd.prepare('select count(*) n, sum(rows) r from tsd_info').get() as { n: number; r: number };
    assert.deepEqual(files, { n: FILES, r: FILES * ROWS }, 'every file in tsd_info with its row count');
    assert.deepEqual(await readdir(join(home, 'EdgeLake', 'data', 'error')), [], 'no file went to the error directory');
  } finally {
    data.close();
    tsd.close();
    await rm(home, { recursive: true, force: true });
  }
});
