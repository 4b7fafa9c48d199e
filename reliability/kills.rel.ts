// kills: a node (the built CLI, as a child process) ingests generated files with unique row ids and is SIGKILLed
// at random moments — KILLS times (40; --short: 3) — and restarted after each kill. After the last restart drains:
// rows = generated, no id twice, every file in exactly one place (tsd_info + archive, or the error directory with
// a reason), nothing left in the watch directory, no temporary file anywhere. RELIABILITY_SEED repeats a run.
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { seededRandom, SEED } from './random.js';
import { report, SHORT, type Figures } from './report.js';
import { operatorHome, placement, rowCounts, startNode, until, waiting } from './operator-node.js';

const KILLS = SHORT ? 3 : 40;
const FILES_PER_ROUND = SHORT ? 6 : 8;
const ROWS = 400;


const rand = seededRandom(SEED);
const h = await operatorHome('edgelake-kills-', ' and threads = 2');
const staging = join(h.home, 'staging');
await mkdir(staging);
const files = new Map<string, { dbmsTable: string; content: Buffer }>();
let nextId = 0;

/** A round of files: half written elsewhere and renamed in, half written in place (the settle rule's case). */
async function dropRound(): Promise<void> {
  await mkdir(h.watch, { recursive: true });
  for (let i = 0; i < FILES_PER_ROUND; i++) {
    const f = files.size;
    const content = Buffer.from(Array.from({ length: ROWS }, (_, r) => JSON.stringify({ id: nextId++, file: f, value: (r * 7) % 100 })).join('\n'));
    const name = `test.kills.dev${f}.json`;
    files.set(name, { dbmsTable: 'test.kills', content });
    if (i % 2 === 0) {
      await writeFile(join(staging, name), content);
      await rename(join(staging, name), join(h.watch, name));
    } else await writeFile(join(h.watch, name), content);
  }
}

const t0 = Date.now();
let survived = 0;
for (let k = 0; k < KILLS; k++) {
  await dropRound();
  const node = startNode(h);
  const up = await Promise.race([node.started.then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), 15_000))]);
  if (up) survived++;
  // Anywhere from start-up to the middle of a batch: before, during and after commits, archives and moves.
  await new Promise((r) => setTimeout(r, 150 + rand() * 1500));
  node.child.kill('SIGKILL');
  await node.exited;
}

// The last restart drains everything.
const last = startNode(h);
await last.started;
const drained = await until(async () => (await waiting(h)).length === 0 && (await until(async () => (await waiting(h)).length > 0, 2000)) === false, 180_000);
last.child.kill('SIGTERM');
await last.exited;
if (!drained) survived = Math.min(survived, KILLS - 1);

const { rows, distinct } = rowCounts(h, 'kills');
const placed = await placement(h, files);
const left = await waiting(h);
const figures: Figures = {
  name: SHORT ? 'kills (short)' : 'kills',
  tried: KILLS,
  survived,
  lost: nextId - distinct,
  duplicated: rows - distinct,
  unaccounted: placed.unaccounted.length + left.length + placed.temporaries.length,
  unclear: placed.unclear.length,
  notes: [
    `${KILLS} SIGKILLs, ${files.size} files x ${ROWS} rows (${nextId} ids), threads = 2, seed ${SEED}, ${((Date.now() - t0) / 1000).toFixed(0)} s`,
    ...placed.unaccounted.slice(0, 5),
    ...left.slice(0, 5).map((f) => `left in the watch directory: ${f}`),
    ...placed.temporaries.slice(0, 5).map((f) => `temporary file left: ${f}`),
    ...placed.unclear.slice(0, 5),
  ],
};
if (!process.env.RELIABILITY_KEEP) await rm(h.home, { recursive: true, force: true });
else figures.notes!.push(`home kept: ${h.home}`);
report(figures);
