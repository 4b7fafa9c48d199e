// The walls between the rooms, checked on the source: the engine never imports Electron (it runs headless and
// in tests), shared/ imports nothing platform-specific, the renderer reaches the engine only through the contract.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { test } from 'node:test';

const root = new URL('../..', import.meta.url).pathname;

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) return name === 'node_modules' ? [] : sources(full);
    return /\.(ts|tsx)$/.test(name) ? [full] : [];
  });
}

function imports(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(/(?:^|\n)\s*(?:import|export)[^'"]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)|require\(\s*['"]([^'"]+)['"]\s*\)/g)].map(
    (m) => m[1] ?? m[2] ?? m[3]!,
  );
}

test('no file of the engine imports electron', () => {
  const offenders = sources(join(root, 'electron/services')).filter((f) => imports(f).some((i) => i === 'electron' || i.startsWith('electron/')));
  assert.deepEqual(offenders.map((f) => relative(root, f)), []);
});

test('shared/ imports no node:, electron, DOM framework or other room', () => {
  const offenders = sources(join(root, 'shared')).filter((f) =>
    imports(f).some((i) => i.startsWith('node:') || i === 'electron' || i.startsWith('react') || i.includes('/electron/') || i.includes('/renderer/')),
  );
  assert.deepEqual(offenders.map((f) => relative(root, f)), []);
});

test('the renderer imports only shared/ and its own files', () => {
  const offenders = sources(join(root, 'renderer/src')).filter((f) =>
    imports(f).some((i) => i.startsWith('node:') || i === 'electron' || i.includes('/electron/')),
  );
  assert.deepEqual(offenders.map((f) => relative(root, f)), []);
});

test('the check itself sees imports (it would catch an electron import)', () => {
  const main = imports(join(root, 'electron/main/main.ts'));
  assert.ok(main.includes('electron'), 'electron/main/main.ts imports electron');
});

/** The engine's import graph (relative imports of non-test files), file -> files it imports. */
function engineGraph(): Map<string, string[]> {
  const dir = join(root, 'electron/services');
  const files = sources(dir).filter((f) => !/\.(test|suite)\.ts$/.test(f) && !f.includes('/fixtures/')); // test code aside
  const graph = new Map<string, string[]>();
  for (const file of files) {
    const deps = imports(file)
      .filter((i) => i.startsWith('.'))
      .map((i) => join(file, '..', i.replace(/\.js$/, '.ts')))
      .filter((f) => f.startsWith(dir));
    graph.set(file, deps);
  }
  return graph;
}

/** Every import circle, as `a -> b -> a`. */
function circles(graph: Map<string, string[]>): string[] {
  const found: string[] = [];
  const done = new Set<string>();
  const path: string[] = [];
  const visit = (file: string) => {
    path.push(file);
    for (const next of graph.get(file) ?? []) {
      const at = path.indexOf(next);
      if (at !== -1) found.push([...path.slice(at), next].map((f) => relative(root, f)).join(' -> '));
      else if (!done.has(next)) visit(next);
    }
    path.pop();
    done.add(file);
  };
  for (const file of graph.keys()) if (!done.has(file)) visit(file);
  return found;
}

test('the engine has no import circle (handlers see services through narrow interfaces)', () => {
  assert.deepEqual(circles(engineGraph()), []);
});

test('the circle check finds a circle when there is one', () => {
  const g = new Map([
    ['/a.ts', ['/b.ts']],
    ['/b.ts', ['/a.ts']],
  ]);
  assert.equal(circles(g).length, 1);
});

/** The engine's layers, lowest first: a file imports only from its own layer or lower ones (README.md there). */
const LAYERS: Record<string, number> = {
  core: 0,
  command: 1,
  dbms: 2,
  'node-info': 2,
  peer: 3,
  metadata: 4,
  operator: 5,
  query: 5,
  rest: 5,
  scheduler: 6,
  deploy: 6,
  streaming: 6,
  'node.ts': 7,
  'console-api': 8,
  headless: 9,
  cli: 10,
};

function layerOf(file: string): string {
  return relative(join(root, 'electron/services'), file).split('/')[0]!;
}

test('no engine file imports from a higher layer', () => {
  const upward: string[] = [];
  for (const [file, deps] of engineGraph()) {
    const from = layerOf(file);
    if (from === 'testing') continue; // test helpers reach into any layer
    for (const dep of deps) {
      const to = layerOf(dep);
      if ((LAYERS[to] ?? 99) > (LAYERS[from] ?? -1)) upward.push(`${relative(root, file)} -> ${relative(root, dep)}`);
    }
  }
  assert.deepEqual(upward, []);
});

test('every engine folder has a layer', () => {
  const folders = readdirSync(join(root, 'electron/services')).filter((n) => statSync(join(root, 'electron/services', n)).isDirectory() && n !== 'testing');
  assert.deepEqual(folders.filter((f) => LAYERS[f] === undefined), []);
});
