// The Archive navigator in Chromium: year/month/day folders, a decompressed preview, and re-ingest.
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

test('re-ingest copies the file back; the operator reports it as a duplicate while its rows are recorded', async () => {
  const name = (await h.page.locator('tr[data-archive-file]').first().getAttribute('data-archive-file'))!;
  await h.page.getByRole('button', { name: `Re-ingest ${name}` }).click();
  await h.page.getByRole('status').getByText(/Copied into the watch directory as test\.readings\.dev1\.json/).waitFor();
  const errDir = h.node.dictionary.get('err_dir')!;
  const end = Date.now() + 20_000;
  while (!(await readdir(errDir)).includes('test.readings.dev1.json.err.json') && Date.now() < end) await new Promise((r) => setTimeout(r, 50));
  const reasons = (await h.node.execute('get tsd errors where format = json')).json as { file: string; code: number }[];
  assert.deepEqual(reasons.map((r) => [r.file, r.code]), [['test.readings.dev1.json', 86]]);
});
