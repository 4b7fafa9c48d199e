// The Ingestion Errors panel in Chromium: failed files grouped by cause, fix and replay, delete with confirmation.
import assert from 'node:assert/strict';
import { readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { startHarness, startOperator, waitForIngestion, type Harness } from './harness.js';
import { ConsoleApp } from './pages/console-app.js';

let h: Harness;
let app: ConsoleApp;
let watch: string;
let errDir: string;

const settle = () => waitForIngestion(h);

async function rowCount(): Promise<number> {
  const r = await h.node.execute('sql test format = json and stat = false "select count(*) from readings"');
  return Number(Object.values((r.json as { Query: Record<string, unknown>[] }).Query[0]!)[0]);
}

before(async () => {
  h = await startHarness();
  app = new ConsoleApp(h.page);
  await startOperator(h, 'errpolicy', 4);
  watch = h.node.dictionary.get('watch_dir')!;
  errDir = h.node.dictionary.get('err_dir')!;
  await writeFile(join(watch, 'test.readings.json'), '{"timestamp":"2024-05-01T10:00:00Z","value":1}\n');
  await settle();
  await writeFile(join(watch, 'test.readings.dev2.json'), '{"timestamp":"2024-05-01T10:01:00Z","value":2}\n{"timestamp": oops}\n');
  await writeFile(join(watch, 'test.readings.dev3.json'), '{"timestamp":"2024-05-01T10:02:00Z","value":"three"}\n');
  await writeFile(join(watch, 'badname.json'), '{"value": 4}\n');
  await settle();
  await app.open(h.url);
});
after(async () => {
  await h?.close();
});

test('failed files are listed by cause with their reasons', async () => {
  await app.show('Ingestion Errors');
  const files = h.page.getByRole('navigation', { name: 'Failed files' });
  await files.getByRole('group', { name: 'Failed to analyze JSON file' }).getByRole('button', { name: 'test.readings.dev2.json' }).waitFor();
  await files.getByRole('group', { name: 'Failed to map JSON to SQL insert' }).getByRole('button', { name: 'test.readings.dev3.json' }).waitFor();
  await files.getByRole('group', { name: 'Error with file name structure' }).getByRole('button', { name: 'badname.json' }).waitFor();
  await files.getByRole('button', { name: 'test.readings.dev2.json' }).click();
  const detail = h.page.getByRole('region', { name: 'Error file test.readings.dev2.json' });
  await detail.getByText(/line 2 is not valid JSON/).waitFor();
  assert.match(await detail.getByLabel('File content').inputValue(), /"timestamp": oops/);
  await app.screenshot('ingestion-errors');
});

test('fix and replay: the edited file goes back to the watch directory and is ingested', async () => {
  const before = await rowCount();
  const detail = h.page.getByRole('region', { name: 'Error file test.readings.dev2.json' });
  await detail.getByLabel('File content').fill('{"timestamp":"2024-05-01T10:01:00Z","value":2}\n{"timestamp":"2024-05-01T10:01:30Z","value":22}\n');
  await detail.getByRole('button', { name: 'Replay edited file' }).click();
  await h.page.getByRole('status').getByText('test.readings.dev2.json replayed into the watch directory as test.readings.dev2.json').waitFor();
  const end = Date.now() + 20_000;
  while ((await rowCount()) < before + 2 && Date.now() < end) await new Promise((r) => setTimeout(r, 50));
  assert.equal(await rowCount(), before + 2);
  assert.ok(!(await readdir(errDir)).includes('test.readings.dev2.json'));
  await h.page.getByRole('button', { name: 'Refresh' }).click();
  await h.page.getByRole('navigation', { name: 'Failed files' }).getByRole('button', { name: 'test.readings.dev2.json' }).waitFor({ state: 'detached' });
});

test('delete asks for confirmation, then removes the file and its reason', async () => {
  await h.page.getByRole('navigation', { name: 'Failed files' }).getByRole('button', { name: 'badname.json' }).click();
  const detail = h.page.getByRole('region', { name: 'Error file badname.json' });
  await detail.getByRole('button', { name: 'Delete…' }).click();
  await detail.getByText('Delete badname.json for good?').waitFor();
  await detail.getByRole('button', { name: 'Keep it' }).click();
  assert.ok((await readdir(errDir)).includes('badname.json'), 'Keep it keeps the file');
  await detail.getByRole('button', { name: 'Delete…' }).click();
  await detail.getByRole('button', { name: 'Yes, delete' }).click();
  await h.page.getByRole('status').getByText('badname.json deleted').waitFor();
  const left = await readdir(errDir);
  assert.ok(!left.includes('badname.json') && !left.includes('badname.json.err.json'));
  assert.ok(left.includes('test.readings.dev3.json'), 'other failed files stay');
});
