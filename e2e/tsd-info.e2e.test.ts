// The TSD Info panel in Chromium against headless mode, with real files dropped into the watch directory.
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { startHarness, startOperator, waitForIngestion, type Harness } from './harness.js';
import { ConsoleApp } from './pages/console-app.js';

let h: Harness;
let app: ConsoleApp;

before(async () => {
  h = await startHarness();
  app = new ConsoleApp(h.page);
  await startOperator(h, 'e2epolicy', 9, ['lab']);
  const watch = h.node.dictionary.get('watch_dir')!;
  // 60 files into test.readings (1 to 60 rows each) and 5 into lab.samples.
  for (let f = 1; f <= 60; f++) {
    const rows = Array.from({ length: f }, (_, i) => JSON.stringify({ timestamp: `2024-05-01T10:${String(i % 60).padStart(2, '0')}:00Z`, device: `dev${f}`, value: i }));
    await writeFile(join(watch, `test.readings.dev${f}.json`), rows.join('\n'));
  }
  for (let f = 1; f <= 5; f++) await writeFile(join(watch, `lab.samples.probe${f}.json`), JSON.stringify({ ph: 7 + f / 10, probe: `p${f}` }));
  await waitForIngestion(h);
  await app.open(h.url);
});
after(async () => {
  await h?.close();
});

test('the TSD Info panel pages the recorded files from the database, newest first', async () => {
  await app.show('TSD Info');
  await h.page.getByText('65 files · page 1 of 2').waitFor();
  const firstId = await h.page.locator('tr[data-file-id]').first().getAttribute('data-file-id');
  assert.equal(firstId, '65');
  assert.equal(await h.page.locator('tr[data-file-id]').count(), 50);
  await h.page.getByRole('button', { name: 'Next' }).click();
  await h.page.getByText('65 files · page 2 of 2').waitFor();
  assert.equal(await h.page.locator('tr[data-file-id]').count(), 15);
  await app.screenshot('tsd-info');
});

test('filters by table and source, and sorts by rows', async () => {
  await h.page.getByLabel('Table').fill('samples');
  await h.page.getByRole('button', { name: 'Apply' }).click();
  await h.page.getByText('5 files · page 1 of 1').waitFor();
  await h.page.getByLabel('Table').fill('readings');
  await h.page.getByLabel('File (source or hash)').fill('dev4');
  await h.page.getByRole('button', { name: 'Apply' }).click();
  // dev4 and dev40..dev49
  await h.page.getByText('11 files · page 1 of 1').waitFor();
  await h.page.getByRole('button', { name: /^Rows/ }).click();
  await h.page.getByRole('columnheader', { name: /Rows ▼/ }).waitFor();
  await h.page.locator('tr[data-file-id]').first().locator('td:nth-child(7)', { hasText: /^49$/ }).waitFor();
  const rows = await h.page.locator('tr[data-file-id] td:nth-child(7)').allTextContents();
  assert.deepEqual(rows.map(Number), [49, 48, 47, 46, 45, 44, 43, 42, 41, 40, 4]);
});

test('a row opens the file lineage with its segments and archive path', async () => {
  await h.page.locator('tr[data-file-id]').first().click();
  const drawer = h.page.getByRole('dialog', { name: /Lineage of file/ });
  await drawer.waitFor();
  await drawer.getByText(/\/archive\/\d\d\/\d\d\/\d\d\/test\.readings\.dev49\.[0-9a-f]{32}\.0\.9\.\d+\.\d{12}\.json\.gz/).waitFor();
  assert.match((await drawer.textContent()) ?? '', /Rows49/);
  const segments = await drawer.getByRole('table', { name: 'File name segments' }).locator('th').allTextContents();
  assert.deepEqual(segments, ['dbms', 'table', 'source', 'hash', 'instructions', 'member', 'row id', 'date']);
  await app.screenshot('tsd-info-lineage');
  await drawer.getByRole('button', { name: 'Close lineage' }).click();
});
