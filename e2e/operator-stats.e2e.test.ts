// The Operator Stats panel in Chromium: per-second samples pushed by the node drawn as live charts.
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { startHarness, startOperator, type Harness } from './harness.js';
import { ConsoleApp } from './pages/console-app.js';

let h: Harness;
let app: ConsoleApp;

before(async () => {
  h = await startHarness();
  app = new ConsoleApp(h.page);
  await startOperator(h, 'statspolicy', 2);
  await app.open(h.url);
});
after(async () => {
  await h?.close();
});

test('files dropped while the panel is open show up live in the counters and the charts', async () => {
  await app.show('Operator Stats');
  await h.page.getByText('Live, one point per second; the last hour is kept.').waitFor();
  const watch = h.node.dictionary.get('watch_dir')!;
  for (let f = 0; f < 6; f++) {
    await writeFile(join(watch, `test.readings.s${f}.json`), Array.from({ length: 50 }, (_, i) => JSON.stringify({ timestamp: '2024-05-01T10:00:00Z', file: f, value: i })).join('\n'));
  }
  await h.page.locator('[data-kpi="files"]', { hasText: /^6$/ }).waitFor({ timeout: 20_000 });
  await h.page.locator('[data-kpi="rows"]', { hasText: /^300$/ }).waitFor();
  assert.equal(await h.page.locator('[data-kpi="errors"]').textContent(), '0');
  await h.page.getByRole('figure', { name: 'Rows per second' }).locator('.recharts-area-area').first().waitFor();
  await app.screenshot('operator-stats');
});
