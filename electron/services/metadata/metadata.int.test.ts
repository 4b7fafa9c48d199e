// The metadata commands on a node, against the captured transcripts of a real EdgeLake network.
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { EdgeNode } from '../node.js';
import { cliSections, transcript } from '../testing/transcripts.js';
import { md5 } from './policy-id.js';

let home: string;
let node: EdgeNode;
/** The real master's ledger lines (ledger-file-format.txt). */
const LEDGER = transcript('ledger-file-format.txt').split('\n').filter((l) => l.startsWith('{'));

const run = async (command: string) => (await node.execute(command)).text;

before(async () => {
  home = await mkdtemp(join(tmpdir(), 'edgelake-metadata-'));
  node = new EdgeNode({ home, ip: '127.0.0.1' });
  await node.start();
});
after(async () => {
  await node.stop();
  await rm(home, { recursive: true, force: true });
});

test('prepare, insert and get a master policy as the real node prints them (policy-master.txt)', async () => {
  const [, , shown, , listed] = cliSections('policy-master.txt');
  assert.equal(await run('new_policy = {"master": {"name": "master-1", "company": "My Company", "ip": "127.0.0.1", "port": 32270, "rest_port": 32271}}'), '');
  assert.equal(await run('blockchain prepare policy !new_policy'), '');
  const prepared = await run('!new_policy');
  const date = /"date" : "([^"]+)"/.exec(prepared)![1]!;
  assert.match(date, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
  assert.equal(prepared, shown!.output.replace('2026-11-23T00:37:06.058100Z', date));
  assert.equal((await node.execute('blockchain insert where policy=!new_policy and local=true')).code, 0);
  assert.equal(await run('blockchain get master'), listed!.output.replace('2026-11-23T00:37:06.058100Z', date));
  // The file holds one json.dumps line per policy.
  const file = await readFile(node.dictionary.get('blockchain_file')!, 'utf8');
  assert.equal(file, `{"master": {"name": "master-1", "company": "My Company", "ip": "127.0.0.1", "port": 32270, "rest_port": 32271, "id": "fe1b311819553a10fe75bf5862abe835", "date": "${date}", "ledger": "local"}}\n`);
  const again = await node.execute('blockchain insert where policy=!new_policy and local=true');
  assert.equal(again.code, 70, 'the same policy twice is a duplicate id');
  assert.equal((await node.execute('blockchain insert where policy=!new_policy')).code, 2, 'no destination: refused');
});

test('every bring variant prints what the real node printed over its ledger (blockchain-get-bring-variants.txt)', async () => {
  await writeFile(node.dictionary.get('blockchain_file')!, `${LEDGER.slice(0, 15).join('\n')}\n`);
  assert.equal(await run('blockchain load metadata'), '');
  for (const s of cliSections('blockchain-get-bring-variants.txt')) {
    assert.equal(await run(s.command), s.output, s.command);
  }
  for (const s of cliSections('blockchain-get-cluster-bring-first.txt')) assert.equal(await run(s.command), s.output, s.command);
});

test('get data nodes lists each table with the operators of its cluster (get-data-nodes.txt, node M)', async () => {
  const section = cliSections('get-data-nodes.txt').find((s) => s.node === 'M')!;
  assert.equal(await run('get data nodes'), section.output);
  assert.match(await run('get data nodes where table = readings'), /\r\nMy Company\|test\|readings\|4c32[^\r]*\r\n +\| +\| +\| +\|active +\|operator-P\|/);
  const m = cliSections('get-cluster-info.txt').find((s) => s.node === 'M')!;
  assert.equal(await run('get cluster info'), m.output, 'a node that is not an operator');
});

test('a malformed or conflicting policy is refused with the reason and the ledger is unchanged (policy-errors.txt)', async () => {
  const before = await readFile(node.dictionary.get('blockchain_file')!, 'utf8');
  const cases: [string, number, RegExp][] = [
    ['{"operator": {"name": "operator-X", "company": "My Company", "ip": "127.0.0.1", "port": 32280, "cluster": "4c323938146b4662b5c8961346322530"}}', 149, /None unique IP:Port in policy: 127\.0\.0\.1:32280 is already operator 'operator-O'/],
    ['{"operator": {"name": "operator-Y", "company": "My Company", "ip": "127.0.0.1", "port": 32299}}', 87, /Wrong policy structure: an operator names its cluster/],
    ['{"cluster": {"name": "cluster-1", "company": "Other Co"}}', 180, /Non unique policy values: a cluster named 'cluster-1' exists/],
    ['{"operator": {"name": "operator-Z", "company": "My Company", "ip": "127.0.0.1", "port": "32298", "cluster": "4c323938146b4662b5c8961346322530"}}', 87, /Wrong policy structure: port '32298' is text, not an integer port/],
    ['{"operator": {"name": "operator-W", "company": "My Company", "ip": "127.0.0.1", "port": 32297, "cluster": "0000"}}', 87, /cluster '0000' is not in the ledger/],
    ['{"table": {"name": "readings", "dbms": "test", "create": "CREATE TABLE x (a int)"}}', 70, /Duplicate blockchain object id: 0f4cf65957ca5f10bad6c1d91deff13d/],
    ['{"table": {"company": "Acme", "name": "readings", "dbms": "test", "create": "CREATE TABLE x (a int)"}}', 180, /table test\.readings is already declared/],
    ['{"a": {"b": 1}, "c": {}}', 87, /exactly one root key/],
    ['{"sensor": {"name": }', 87, /not JSON: unexpected character at position 20/],
  ];
  for (const [policy, code, reason] of cases) {
    node.dictionary.set('candidate', policy);
    const r = await node.execute('blockchain insert where policy = !candidate and local = true');
    assert.equal(r.code, code, policy);
    assert.match(r.detail!, reason, policy);
  }
  assert.equal(await readFile(node.dictionary.get('blockchain_file')!, 'utf8'), before);
});

test('policies whose values would break the ledger or the nodes that read it are refused, naming type, key and value', async () => {
  const file = node.dictionary.get('blockchain_file')!;
  const before = await readFile(file, 'utf8');
  const operator = (attributes: string) => `{"operator": {"name": "operator-Q", "company": "My Company", "ip": "127.0.0.1", "port": 32301, "cluster": "4c323938146b4662b5c8961346322530", ${attributes}}}`;
  const cases: [string, RegExp][] = [
    [operator('"port": "abc"'), /New Policy 'operator' Structure Error: Wrong policy structure: port 'abc' is text, not an integer port/],
    [operator('"port": 99999'), /'operator' .*: port '99999' is outside 1-65535/],
    [operator('"port": true'), /'operator' .*: port 'true' is not an integer port/],
    [operator('"port": 32053.5'), /'operator' .*: port '32053\.5' is not an integer port/],
    [operator('"rest_port": -5'), /'operator' .*: rest_port '-5' is outside 1-65535/],
    ['{"master": {"name": "m-bad", "company": "My Company", "ip": "999.1.1.1", "port": 32270}}', /'master' .*: ip '999\.1\.1\.1' is not an IP address or host name/],
    ['{"query": {"name": 123, "company": "My Company", "ip": "127.0.0.1", "port": 32350}}', /'query' .*: name '123' is not a non-empty text/],
    ['{"publisher": {"name": ["a"], "company": "My Company", "ip": "127.0.0.1", "port": 32250}}', /'publisher' .*: name '\["a"\]' is not a non-empty text/],
    ['{"": {"name": "nameless"}}', /Wrong policy structure: the policy type \(its root key\) is empty/],
    ['{"master": {"name": "m-inf", "company": "My Company", "ip": "127.0.0.1", "port": 1e400}}', /Wrong policy structure: master policy: port '1e400' is beyond the range of a float/],
  ];
  for (const [policy, reason] of cases) {
    node.dictionary.set('candidate', policy);
    // `blockchain add` appends without the type checks (EdgeLake's rule), but never a policy that is not one.
    const commands = ['blockchain insert where policy = !candidate and local = true', ...(/1e400|""/.test(policy) ? ['blockchain add !candidate'] : [])];
    for (const command of commands) {
      const r = await node.execute(command);
      assert.equal(r.code, 87, `${command}: ${policy}`);
      assert.match(r.detail!, reason, policy);
    }
  }
  assert.equal(await readFile(file, 'utf8'), before);
  // A host name and an IPv6 address are addresses; a master policy with them goes in.
  node.dictionary.set('candidate', '{"master": {"name": "m-host", "company": "My Company", "ip": "master.example.com", "internal_ip": "::1", "port": 32270, "rest_port": 32271}}');
  assert.equal((await node.execute('blockchain insert where policy = !candidate and local = true')).code, 0);
  await writeFile(file, before);
});

test('a ledger line that does not parse is kept and reported by blockchain test and by every insert, not dropped', async () => {
  const file = node.dictionary.get('blockchain_file')!;
  const before = await readFile(file, 'utf8');
  await writeFile(file, `${LEDGER[0]}\n{"master": {"name": "m-2", "port": inf}}\n${LEDGER[1]}\n`);
  const tested = await node.execute('blockchain test');
  assert.equal(tested.code, 87);
  assert.match(tested.detail!, /blockchain\.json: 1 line\(s\) are not policies and are not read \(line 2: unexpected character at position 35\)/);
  const inserted = await node.execute('blockchain insert where policy = {"sensor": {"name": "s-1"}} and local = true');
  assert.equal(inserted.code, 0);
  assert.match(inserted.text, /^Policy [0-9a-f]{32} is in the local ledger; .*blockchain\.json: 1 line\(s\) are not policies and are not read \(line 4: /);
  const lines = (await readFile(file, 'utf8')).split('\n').filter(Boolean);
  assert.equal(lines.length, 4, 'the bad line is still in the file');
  assert.equal(lines[3], '{"master": {"name": "m-2", "port": inf}}', 'after the policies, so an EdgeLake node reads them all');
  for (const line of lines.slice(0, 3)) JSON.parse(line);
  assert.equal((await run('blockchain get * bring.count')).trim(), '3');
  assert.deepEqual(node.metadata.ledger.issues(), [{ line: 4, reason: 'unexpected character at position 35' }]);
  await writeFile(file, before);
});

test('a new operator gets a free member id; delete removes a policy; blockchain test reports the file', async () => {
  const r = await node.execute('blockchain insert where policy = {"operator": {"name": "operator-N", "company": "My Company", "ip": "127.0.0.1", "port": 32300, "cluster": "4c323938146b4662b5c8961346322530"}} and local = true');
  assert.equal(r.code, 0, r.text);
  const member = Number((await run('blockchain get operator where name = operator-N bring [operator][member]')).trim());
  assert.ok(member >= 1 && member <= 255 && member !== 57 && member !== 7, String(member));
  const id = (await run('blockchain get operator where name = operator-N bring [operator][id]')).trim();
  assert.equal((await node.execute(`blockchain delete policy where id = ${id}`)).code, 0);
  assert.equal(await run('blockchain get operator where name = operator-N'), '');
  assert.equal((await node.execute(`blockchain delete policy where id = ${id}`)).code, 113);
  assert.equal(await run('blockchain test'), 'Blockchain file status: OK\r\n');
  await writeFile(node.dictionary.get('blockchain_file')!, `${LEDGER[0]}\nnot json\n`);
  const broken = await node.execute('blockchain test');
  assert.equal(broken.code, 87);
  assert.match(broken.detail!, /line 2/);
  assert.equal((await run('blockchain get * bring.count')).trim(), '1', 'the good lines still serve');
});

test('create policy with and without defaults, and set policy, build policies in variables (create-policy.txt)', async () => {
  const scratch = new EdgeNode({ home: join(home, 'scratch'), ip: '192.0.2.2' });
  await scratch.start();
  try {
    const sections = cliSections('create-policy.txt');
    for (const s of sections) assert.equal((await scratch.execute(s.command)).text, s.output, s.command);
    await scratch.execute('set policy cfg [config] = {} and [config][company] = anylog and [config][node_type] = operator');
    assert.equal(scratch.dictionary.get('cfg'), '{"config": {"company": "anylog", "node_type": "operator"}}');
    await scratch.execute('set policy cfg[config][port] = 7');
    assert.equal(scratch.dictionary.get('cfg'), '{"config": {"company": "anylog", "node_type": "operator", "port": "7"}}');
  } finally {
    await scratch.stop();
  }
});

test('an operator prints its cluster, and a table it creates is published as EdgeLake publishes it (get-cluster-info.txt)', async () => {
  await writeFile(node.dictionary.get('blockchain_file')!, `${LEDGER.slice(0, 9).join('\n')}\n`);
  for (const c of ['connect dbms almgm where type = sqlite', 'connect dbms test where type = sqlite', 'create table tsd_info where dbms = almgm', 'run operator where policy = 661a6fd9374f7a02b260cfcfd1ded312 and update_tsd_info = true']) {
    assert.equal((await node.execute(c)).code, 0, c);
  }
  const o = cliSections('get-cluster-info.txt').find((s) => s.node === 'O')!;
  assert.equal(await run('get cluster info'), o.output);

  const watch = node.dictionary.get('watch_dir')!;
  await writeFile(join(watch, 'test.fresh.json'), '{"timestamp": "2024-05-01T10:00:00Z", "value": 1}\n');
  const end = Date.now() + 15_000;
  while ((await run('blockchain get cluster where table[name] = fresh bring.count')).trim() !== '1') {
    if (Date.now() > end) throw new Error('the table was not published');
    await new Promise((r) => setTimeout(r, 50));
  }
  const table = JSON.parse(await run('blockchain get table where name = fresh bring.json [table][name] [table][dbms] [table][source] [table][id]')) as Record<string, string>[];
  assert.deepEqual(table, [{ name: 'fresh', dbms: 'test', source: 'Processing JSON file', id: md5('table:name:fresh:dbms:test:') }]);
  const child = JSON.parse(await run('blockchain get cluster where table[name] = fresh bring.json [cluster][parent] [cluster][source] [cluster][id] [cluster][status]')) as Record<string, string>[];
  assert.deepEqual(child, [{ parent: '4c323938146b4662b5c8961346322530', source: 'Node at 127.0.0.1:32280', id: md5("cluster:company:My Company:name:cluster-1:parent:4c323938146b4662b5c8961346322530:table:[{'dbms': 'test', 'name': 'fresh'}]:"), status: 'active' }]);
  assert.match(await run('get cluster info'), /\r\n {6}My Company\|test\|fresh +\|\r\n/);
  assert.equal((await node.execute('exit operator')).code, 0);
});

test('from <json> bring, [a][][x] over lists, and the master ledger table with push and drop', async () => {
  // grammar.txt: p holds {"t": {"name": "n1", "v": 5}}.
  assert.equal(await run('a = 5'), '');
  assert.equal(await run('p = {"t": {"name": "n1", "v": !a}}'), '');
  for (const s of cliSections('grammar.txt').filter((x) => x.command.startsWith('from !p'))) assert.equal(await run(s.command), s.output, s.command);
  node.dictionary.set('c', '{"cluster": {"name": "c", "table": [{"dbms": "d", "name": "t1"}, {"dbms": "d", "name": "t2"}]}}');
  assert.equal(await run('from !c bring [cluster][table][][name] separator = ,'), 't1t2\r\n'.replace('t1t2', '["t1", "t2"]'));

  assert.equal((await node.execute('connect dbms blockchain where type = sqlite')).code, 0);
  assert.equal((await node.execute('create table ledger where dbms = blockchain')).code, 0);
  const columns = await node.databases.get('blockchain').query("select sql from sqlite_master where name = 'ledger'");
  assert.equal(columns.rows[0]![0], 'CREATE TABLE ledger (sequence_id integer primary key autoincrement,policy_type varchar not null,policy_id varchar not null,company_name varchar,date timestamp not null default current_timestamp,host varchar not null,status varchar,policy varchar)');
  assert.equal((await node.execute('blockchain push {"query": {"name": "query-1", "company": "My Company", "ip": "127.0.0.1", "port": 32270, "rest_port": 32271}}')).code, 0);
  const rows = await node.databases.get('blockchain').query('select policy_type, policy_id, company_name, host, status, policy from ledger');
  assert.deepEqual(rows.rows[0]!.slice(0, 5), ['query', 'f7f56d1fb036b0e385efd6d8eb916d12', 'My Company', '127.0.0.1', null]);
  assert.match(String(rows.rows[0]![5]), /^\{"query": \{"name": "query-1", .*"id": "f7f56d1fb036b0e385efd6d8eb916d12", "date": "[^"]+", "ledger": "global"\}\}$/);
  assert.equal((await node.execute('blockchain push {"query": {"name": "query-1", "company": "My Company", "ip": "127.0.0.1", "port": 32270, "rest_port": 32271}}')).code, 70);
  assert.equal((await node.execute('blockchain drop policy where id = f7f56d1fb036b0e385efd6d8eb916d12')).code, 0);
  assert.equal((await node.databases.get('blockchain').query('select count(*) from ledger')).rows[0]![0], 0);
  // A table declared by a policy is created from it.
  assert.equal((await node.execute('create table readings where dbms = test')).code, 0);
  assert.ok((await node.databases.get('test').tables()).includes('readings'));
  assert.equal((await node.execute('create table nosuch where dbms = test')).code, 29);
});

test('a policy inserted while a ledger from the master is installed is kept (the insert and the sync take turns)', async () => {
  const home = await mkdtemp(join(tmpdir(), 'edgelake-race-'));
  const node = new EdgeNode({ home, ip: '127.0.0.1' });
  await node.start();
  try {
    const fromMaster = '{"master": {"name": "m", "company": "c", "ip": "127.0.0.1", "port": 32048, "id": "aaaa", "ledger": "global"}}\n';
    const mine = { operator: { name: 'op-race', company: 'c', id: 'bbbb', ledger: 'local' } };
    await Promise.all([node.metadata.ledger.append(mine as never), node.sync.useNewLedger(Buffer.from(fromMaster))]);
    const ids = (await node.metadata.ledger.all()).map((p) => Object.values(p)[0]!.id);
    assert.deepEqual(ids.sort(), ['aaaa', 'bbbb']);
    const onDisk = await readFile(node.dictionary.get('blockchain_file')!, 'utf8');
    assert.match(onDisk, /"id": "bbbb"/);
  } finally {
    await node.stop();
    await rm(home, { recursive: true, force: true });
  }
});

test('blockchain get !type: the policy type may be a reference (validate_node_policy.al: blockchain get !node_type where ...)', async () => {
  const home = await mkdtemp(join(tmpdir(), 'edgelake-type-ref-'));
  const node = new EdgeNode({ home, ip: '127.0.0.1' });
  await node.start();
  try {
    await node.metadata.ledger.append({ master: { name: 'm1', company: 'c', ip: '127.0.0.1', port: 32100, id: 'cccc' } } as never);
    await node.execute('node_type = master');
    await node.execute('is_policy = blockchain get !node_type where name = m1 and port = 32100 bring.first');
    assert.match(node.dictionary.get('is_policy') ?? '', /"id": "cccc"/);
  } finally {
    await node.stop();
    await rm(home, { recursive: true, force: true });
  }
});

test('get tables marks the tables a table policy declares in the Blockchain column', async () => {
  const home = await mkdtemp(join(tmpdir(), 'edgelake-tables-'));
  const node = new EdgeNode({ home, ip: '127.0.0.1' });
  await node.start();
  try {
    await node.execute('connect dbms test where type = sqlite');
    await node.databases.get('test').run('create table declared (a int)');
    await node.databases.get('test').run('create table plain (a int)');
    await node.metadata.ledger.append({ table: { name: 'declared', dbms: 'test', create: 'CREATE TABLE IF NOT EXISTS declared (a int);', id: 'tttt' } } as never);
    const text = (await node.execute('get tables where dbms = test')).text;
    assert.match(text, /declared\s*\| V\s*\| V\s*\|/);
    assert.match(text, /plain\s*\| V\s*\| -\s*\|/);
  } finally {
    await node.stop();
    await rm(home, { recursive: true, force: true });
  }
});
