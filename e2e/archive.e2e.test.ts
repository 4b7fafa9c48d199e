// The Archive navigator in Chromium: year/month/day folders, a decompressed preview, and re-ingest (asked first,
// refused as a duplicate while the file's hash is recorded, its outcome shown).
import assert from 'node:assert/strict';
import { readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { startHarness, startOperator, waitForIngestion, type Harness } from './harness.js';
import { ConsoleApp } from './pages/console-app.js';

let h: Harness;
let app: ConsoleApp;
const CONTENT = '{"timestamp":"2024-05-01T10:00:00Z","device":"archived-d1","value":7}';

before(async () => {
  h = await startHarness();
  app = new ConsoleApp(h.page);
  await startOperator(h, 'arcpolicy', 5);
  await writeFile(join(h.node.dictionary.get('watch_dir')!, 'test.readings.dev1.json'), CONTENT);
  await waitForIngestion(h);
  await app.open(h.url);
});
after(async () => {
  await h?.close();
});

test('the archive is walked year / month / day and a file previewed decompressed', async () => {
  await app.show('Archive');
  const now = new Date();
  const p = (n: number) => String(n).padStart(2, '0');
  for (const [level, value] of [['Year', p(now.getUTCFullYear() % 100)], ['Month', p(now.getUTCMonth() + 1)], ['Day', p(now.getUTCDate())]] as const) {
    await h.page.getByRole('list', { name: `${level} folders` }).getByRole('button', { name: `${level} ${value}` }).click();
  }
  const row = h.page.locator('tr[data-archive-file]');
  await row.first().waitFor();
  const name = (await row.first().getAttribute('data-archive-file'))!;
  assert.match(name, /^test\.readings\.dev1\.[0-9a-f]{32}\.0\.5\.1\.\d{12}\.json\.gz$/);
  await h.page.getByRole('button', { name: `Preview ${name}` }).click();
  await h.page.getByRole('region', { name: 'Preview' }).getByText(CONTENT).waitFor();
  await app.screenshot('archive');
});

/** Rows of test.readings, through the node. */
async function rows(): Promise<number> {
  const r = await h.node.execute('sql test format = json and stat = false "select count(*) as n from readings"');
  return Number((r.json as { Query: { n: number }[] }).Query[0]!.n);
}

test('re-ingest asks first: a file whose hash is recorded is explained as a duplicate, and nothing is copied', async () => {
  const name = (await h.page.locator('tr[data-archive-file]').first().getAttribute('data-archive-file'))!;
  await h.page.getByRole('button', { name: `Re-ingest ${name}` }).click();
  const dialog = h.page.getByRole('dialog', { name: `Re-ingest ${name}` });
  await dialog.getByText(/Already ingested: its hash [0-9a-f]{32} is recorded in tsd_info \(id 1, .*1 row\)\. The operator\s+would refuse it as a duplicate/).waitFor();
  await app.screenshot('archive-reingest-duplicate');
  assert.equal(await dialog.getByRole('button', { name: /^Re-ingest \d+ rows?$/ }).count(), 0, 'nothing to confirm');
  await dialog.getByRole('button', { name: 'Close re-ingest' }).click();
  await dialog.waitFor({ state: 'detached' });
  assert.deepEqual(await readdir(h.node.dictionary.get('watch_dir')!), []);
  assert.equal(await rows(), 1);
});

test('once its rows and record are deleted, re-ingest shows the rows it adds, keeps the hash, and shows the operator\'s outcome', async () => {
  for (const c of ['sql test "delete from readings"', 'sql almgm "delete from tsd_info"']) assert.equal((await h.node.execute(c)).code, 0, c);
  const name = (await h.page.locator('tr[data-archive-file]').first().getAttribute('data-archive-file'))!;
  const hash = name.split('.')[3]!;
  await h.page.getByRole('button', { name: `Re-ingest ${name}` }).click();
  const dialog = h.page.getByRole('dialog', { name: `Re-ingest ${name}` });
  await dialog.getByText(`test.readings.dev1.${hash}.0.json.gz`).waitFor();
  await dialog.getByText(/Adds 1 row to test\.readings/).waitFor();
  await app.screenshot('archive-reingest-confirm');
  await dialog.getByRole('button', { name: 'Re-ingest 1 row' }).click();
  await h.page.getByRole('status').getByText(`test.readings.dev1.${hash}.0.json.gz: ingested, 1 row added to test.readings.`).waitFor({ timeout: 20_000 });
  await app.screenshot('archive-reingest-outcome');
  assert.equal(await rows(), 1);
  const recorded = (await h.node.execute('sql almgm format = json and stat = false "select file_hash from tsd_info"')).json as { Query: { file_hash: string }[] };
  assert.deepEqual(recorded.Query.map((r) => r.file_hash), [hash], 'recorded again under its own hash');
});
