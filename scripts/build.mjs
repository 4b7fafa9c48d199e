// Builds the four outputs with esbuild (fast, no extra toolchain):
//   dist/renderer/      the console (React) served by Electron (file://) and by the headless server
//   dist/electron/      main.cjs and preload.cjs for the Electron shell (electron stays external)
//   dist/node/cli.cjs   the headless node behind bin/edgelake-node.cjs
//   */ingest-worker.cjs the operator's ingestion worker, beside each engine bundle
// npm packages stay external for the Node outputs (native modules load from node_modules).
import { build } from 'esbuild';
import { cpSync, mkdirSync, rmSync } from 'node:fs';

const root = new URL('..', import.meta.url).pathname;
const dist = `${root}dist`;
rmSync(dist, { recursive: true, force: true });
mkdirSync(`${dist}/renderer`, { recursive: true });

// __EDGELAKE_BUNDLED__ tells the engine it runs bundled: its ingestion worker is ingest-worker.cjs beside it.
const node = { platform: 'node', target: 'node20', bundle: true, format: 'cjs', packages: 'external', sourcemap: true, logLevel: 'warning', define: { __EDGELAKE_BUNDLED__: 'true', 'import.meta.url': '""', 'import.meta.resolve': 'String' } };
const worker = `${root}electron/services/operator/ingest-worker.ts`;

await Promise.all([
  build({
    entryPoints: [`${root}renderer/src/main.tsx`],
    outfile: `${dist}/renderer/assets/app.js`,
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'chrome120',
    jsx: 'automatic',
    minify: process.env.EDGELAKE_DEV !== '1',
    sourcemap: true,
    define: { 'process.env.NODE_ENV': '"production"' },
    loader: { '.css': 'css' },
    logLevel: 'warning',
  }),
  build({ ...node, entryPoints: [`${root}electron/main/main.ts`], outfile: `${dist}/electron/main.cjs`, external: ['electron'] }),
  build({ ...node, entryPoints: [`${root}electron/main/preload.ts`], outfile: `${dist}/electron/preload.cjs`, external: ['electron'], packages: undefined }),
  build({ ...node, entryPoints: [`${root}electron/services/cli/main.ts`], outfile: `${dist}/node/cli.cjs` }),
  build({ ...node, entryPoints: [worker], outfile: `${dist}/node/ingest-worker.cjs` }),
  build({ ...node, entryPoints: [worker], outfile: `${dist}/electron/ingest-worker.cjs` }),
]);
cpSync(`${root}renderer/index.html`, `${dist}/renderer/index.html`);
console.log('built dist/renderer, dist/electron, dist/node');
