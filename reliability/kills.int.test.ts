// The short kills run inside `npm test` (issue 10): 3 SIGKILLs of a child node during ingestion, then its figures
// must pass — nothing lost, doubled, unaccounted or unclear, and the node finished after every kill. Uses the built
// CLI (dist/: `npm run test:int` builds first).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';
import { passed, type Figures } from './report.js';

test('a node SIGKILLed 3 times during ingestion loses, doubles and strands nothing', () => {
  const run = spawnSync(process.execPath, ['--import', 'tsx', new URL('./kills.rel.ts', import.meta.url).pathname, '--short'], { encoding: 'utf8', timeout: 240_000 });
  assert.equal(run.status, 0, run.stderr);
  const figures = JSON.parse(run.stdout.trim().split('\n').pop()!) as Figures;
  assert.equal(figures.tried, 3);
  assert.ok(passed(figures), JSON.stringify(figures, null, 2));
});
