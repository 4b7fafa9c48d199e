// The Ingestion Errors panel's handlers on a real operator: directories and links the operator refused from the
// watch directory are listed with their reasons (as `get tsd errors` lists them), cannot be replayed, and delete
// removes the entry (a link, never what it points to).
import assert from 'node:assert/strict';
import { lstat, mkdir, mkdtemp, readdir, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { EdgeNode } from '../node.js';
import { embeddedLink } from './embedded-link.js';
import { createHandlers } from './handlers.js';

let home: string;
let node: EdgeNode;
let handlers: ReturnType<typeof createHandlers>;

before(async () => {
  home = await mkdtemp(join(tmpdir(), 'edgelake-errors-'));
  node = new EdgeNode({ home, ip: '127.0.0.1', operatorTiming: { settleMs: 50, retryMs: 100, rescanMs: 200 } });
  await node.start();
  handlers = createHandlers(embeddedLink(node));
  await writeFile(node.dictionary.get('blockchain_file')!, '{"operator": {"name": "op", "company": "c", "cluster": "c1", "id": "errorspolicy", "member": 7}}\n');
  for (const c of ['connect dbms almgm where type = sqlite', 'connect dbms test where type = sqlite', 'create table tsd_info where dbms = almgm', 'run operator where policy = errorspolicy']) {
    assert.equal((await node.execute(c)).code, 0, c);
  }
});
after(async () => {
  await node.stop();
  await rm(home, { recursive: true, force: true });
});

test('a refused directory and a link leaving the watch directory are listed with their reasons, not replayable, and deleted as entries', async () => {
  const watch = node.dictionary.get('watch_dir')!;
  const outside = join(home, 'outside.json');
  await writeFile(outside, '{"a": 1}\n');
  await mkdir(join(watch, 'test.dir.json'));
  await symlink(outside, join(watch, 'test.link.json'));
  const end = Date.now() + 15_000;
  let listed = await handlers['errors:list']({});
  while (listed.length < 2 && Date.now() < end) {
    await new Promise((r) => setTimeout(r, 100));
    listed = await handlers['errors:list']({});
  }
  const dir = listed.find((e) => e.file === 'test.dir.json');
  const link = listed.find((e) => e.file === 'test.link.json');
  assert.equal(dir?.kind, 'directory', JSON.stringify(listed));
  assert.equal(link?.kind, 'link');
  assert.match(dir!.reason, /test\.dir\.json/);
  assert.match(link!.reason, /test\.link\.json/);
  await assert.rejects(handlers['errors:replay']({ file: 'test.link.json' }), /not a file in the error directory/);
  await handlers['errors:delete']({ file: 'test.link.json' });
  await handlers['errors:delete']({ file: 'test.dir.json' });
  const errDir = node.dictionary.get('err_dir')!;
  assert.deepEqual((await readdir(errDir)).filter((n) => n.startsWith('test.')), []);
  assert.ok((await stat(outside)).isFile(), 'the link target is untouched');
  await assert.rejects(lstat(join(errDir, 'test.link.json')));
});
