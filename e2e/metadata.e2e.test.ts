// The Policies, Cluster Editor and Topology panels in Chromium: a cluster and an operator created through the
// editors appear in the ledger and the topology; the policy editor checks, diffs and refuses; delete confirms.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { after, before, test } from 'node:test';
import { startHarness, type Harness } from './harness.js';
import { ConsoleApp } from './pages/console-app.js';

let h: Harness;
let app: ConsoleApp;

const ledger = () => readFile(h.node.dictionary.get('blockchain_file')!, 'utf8').catch(() => '');

before(async () => {
  h = await startHarness();
  app = new ConsoleApp(h.page);
  await app.open(h.url);
});
after(async () => {
  await h?.close();
});

test('the cluster editor creates a cluster and adds an operator with a member id', async () => {
  await app.show('Cluster Editor');
  const form = h.page.getByRole('form', { name: 'New cluster' });
  await form.getByLabel('Cluster name').fill('cluster-1');
  await form.getByRole('button', { name: 'Create cluster' }).click();
  const card = h.page.getByRole('region', { name: 'Cluster cluster-1' });
  await card.getByText('4c323938146b4662b5c8961346322530').waitFor(); // EdgeLake's id for this company and name
  const add = card.getByRole('form', { name: 'Add operator to cluster-1' });
  await add.getByLabel('Operator name').fill('operator-O');
  await add.getByLabel('Operator port').fill('32280');
  await add.getByRole('button', { name: 'Add operator' }).click();
  const row = card.getByRole('row', { name: /operator-O/ });
  await row.waitFor();
  const member = Number(await row.getByRole('cell').nth(2).textContent());
  assert.ok(member >= 1 && member <= 255, String(member));
  assert.match(await ledger(), /"operator": \{"name": "operator-O", "company": "My Company", "ip": "127\.0\.0\.1", "port": 32280, "rest_port": 32149, "cluster": "4c323938146b4662b5c8961346322530", "id": "[0-9a-f]{32}", "date": "[^"]+", "member": \d+, "ledger": "local"\}/);
  // The same address again is refused with EdgeLake's reason, and nothing is written.
  const before = await ledger();
  await add.getByLabel('Operator name').fill('operator-Twin');
  await add.getByRole('button', { name: 'Add operator' }).click();
  await add.getByRole('alert').getByText(/None unique IP:Port in policy/).waitFor();
  assert.equal(await ledger(), before);
  await app.screenshot('cluster-editor');
});

test('the topology shows cluster -> operator -> tables, and a click shows the policy', async () => {
  // A table the cluster hosts (as an operator registers it).
  const r = await h.node.execute('blockchain insert where policy = {"cluster": {"parent": "4c323938146b4662b5c8961346322530", "name": "cluster-1", "company": "My Company", "table": [{"dbms": "test", "name": "readings"}]}} and local = true');
  assert.equal(r.code, 0, r.text);
  await app.show('Topology');
  const graph = h.page.getByRole('img', { name: 'Clusters, operators and tables' });
  await graph.getByRole('button', { name: 'cluster cluster-1' }).waitFor();
  await graph.getByRole('button', { name: 'table test.readings' }).waitFor();
  await graph.getByRole('button', { name: 'operator operator-O' }).click();
  const selected = h.page.getByRole('region', { name: 'Selected node' });
  await selected.getByText(/"port": 32280/).waitFor();
  await app.screenshot('topology');
});

test('the policy editor checks as the node does, shows the diff with the ledger, inserts; delete asks first', async () => {
  await app.show('Policies');
  const tree = h.page.getByRole('navigation', { name: 'Policies by type' });
  await tree.getByRole('group', { name: 'cluster' }).waitFor();
  await h.page.getByLabel('Search policies').fill('32280');
  await tree.getByRole('button', { name: 'operator-O' }).waitFor();
  assert.equal(await tree.getByRole('group', { name: 'cluster' }).count(), 0, 'search keeps only matching policies');
  await h.page.getByLabel('Search policies').fill('');

  await h.page.getByRole('button', { name: 'New policy' }).click();
  const editor = h.page.getByRole('region', { name: 'New policy' });
  await editor.getByLabel('Policy JSON').fill('{"operator": {"name": "operator-Q", "company": "My Company", "ip": "127.0.0.1", "port": 32290, "cluster": "nosuchcluster"}}');
  await editor.getByRole('alert').getByText(/cluster 'nosuchcluster' is not in the ledger/).waitFor();
  await editor.getByText(/cluster nosuchcluster is not in the ledger/).waitFor();
  await editor.getByLabel('Policy JSON').fill('{"master": {"name": "m1", "port": 32048,}');
  await editor.getByRole('alert').getByText(/Wrong policy structure/).waitFor();
  // The same id as a stored policy: the difference is shown, and insert is refused as a duplicate.
  await editor.getByLabel('Policy JSON').fill('{"cluster": {"company": "My Company", "name": "cluster-1", "note": "edited"}}');
  const diff = editor.getByLabel('Difference with the ledger');
  await diff.getByText('+     "note": "edited",').waitFor();
  await editor.getByRole('alert').getByText(/Duplicate blockchain object id/).waitFor();
  // A new master policy inserts.
  await editor.getByLabel('Policy JSON').fill('{"master": {"name": "master-1", "company": "My Company", "ip": "127.0.0.1", "port": 32270, "rest_port": 32271}}');
  await editor.getByRole('status').getByText(/fe1b311819553a10fe75bf5862abe835/).waitFor();
  await editor.getByRole('button', { name: 'Insert into the local ledger' }).click();
  await h.page.getByRole('status').getByText('Inserted policy fe1b311819553a10fe75bf5862abe835').waitFor();
  assert.match(await ledger(), /"master": \{"name": "master-1"/);
  await app.screenshot('policies');

  const detail = h.page.getByRole('region', { name: 'Policy fe1b311819553a10fe75bf5862abe835' });
  await detail.getByRole('button', { name: 'Delete…' }).click();
  await detail.getByRole('button', { name: 'Keep it' }).click();
  assert.match(await ledger(), /master-1/);
  await detail.getByRole('button', { name: 'Delete…' }).click();
  await detail.getByRole('button', { name: 'Yes, delete' }).click();
  await h.page.getByRole('status').getByText('Deleted policy fe1b311819553a10fe75bf5862abe835').waitFor();
  assert.doesNotMatch(await ledger(), /master-1/);
});
