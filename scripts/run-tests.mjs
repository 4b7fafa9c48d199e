// Runs node's test runner over the project's test files (Node 20's --test takes no globs).
// Usage: node scripts/run-tests.mjs unit|int|e2e|all
// unit: *.test.ts beside the code (not *.int.test.ts); int: *.int.test.ts (real ports, real services);
// e2e: e2e/**/*.e2e.test.ts (Chromium against headless mode, needs `npm run build` first).
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const kind = process.argv[2] ?? 'all';
const roots = ['electron', 'shared', 'renderer/src', 'e2e', 'scripts', 'reliability'];

function walk(dir, out) {
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name === 'dist') continue;
    const full = join(dir, name);
    if (statSync(full).isDirectory()) walk(full, out);
    else out.push(relative(root, full));
  }
  return out;
}

const all = roots.flatMap((r) => {
  try {
    return walk(join(root, r), []);
  } catch {
    return [];
  }
});
const pick = {
  unit: (f) => /\.test\.tsx?$/.test(f) && !/\.(int|e2e)\.test\.tsx?$/.test(f),
  int: (f) => /\.int\.test\.tsx?$/.test(f),
  e2e: (f) => /\.e2e\.test\.tsx?$/.test(f),
  all: (f) => /\.test\.tsx?$/.test(f),
}[kind];
if (!pick) {
  console.error(`unknown test kind '${kind}' (unit, int, e2e, all)`);
  process.exit(2);
}
const files = all.filter(pick).sort();
if (files.length === 0) {
  console.error(`no ${kind} test files found`);
  process.exit(1);
}
const args = ['--import', 'tsx', '--test', '--test-reporter=spec'];
if (kind === 'e2e') args.push('--test-concurrency=1');
const result = spawnSync(process.execPath, [...args, ...files], { cwd: root, stdio: 'inherit' });
process.exit(result.status ?? 1);
