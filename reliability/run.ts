// `npm run reliability [name]`: runs each reliability/*.rel.ts in its own process (bounded, loopback only) and
// prints their figures as one table. Exit code 1 when any run lost, doubled or left unaccounted anything, or
// gave an unclear reason. `-- --short` runs the short versions (as `npm test` does for kills).
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { passed, type Figures } from './report.js';

const dir = new URL('.', import.meta.url).pathname;
const args = process.argv.slice(2);
const only = args.find((a) => !a.startsWith('--'));
const runs = readdirSync(dir)
  .filter((f) => f.endsWith('.rel.ts'))
  .filter((f) => !only || f.startsWith(only))
  .sort();
const results: Figures[] = [];
let failed = 0;
for (const file of runs) {
  console.log(`\n== ${file}`);
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(dir, file), ...args.filter((a) => a.startsWith('--'))], {
    stdio: ['ignore', 'pipe', 'inherit'],
    encoding: 'utf8',
    timeout: 20 * 60_000,
  });
  process.stdout.write(r.stdout ?? '');
  const last = (r.stdout ?? '').trim().split('\n').pop() ?? '';
  let figures: Figures | undefined;
  try {
    figures = JSON.parse(last) as Figures;
  } catch {
    figures = undefined;
  }
  if (r.status !== 0 || !figures) {
    failed++;
    console.log(`${file}: failed (exit ${r.status ?? r.signal}) without its figures`);
    continue;
  }
  results.push(figures);
  if (!passed(figures)) failed++;
}
const cols = ['name', 'tried', 'survived', 'lost', 'duplicated', 'unaccounted', 'unclear'] as const;
console.log(`\n${cols.map((c) => c.padEnd(12)).join('')}`);
for (const f of results) console.log(cols.map((c) => String(f[c]).padEnd(12)).join(''));
for (const f of results) for (const n of f.notes ?? []) console.log(`  ${f.name}: ${n}`);
process.exit(failed ? 1 : 0);
