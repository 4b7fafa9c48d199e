// files: a fuzzed watch directory — malformed, truncated, empty, binary, huge, gzip bombs, broken and truncated
// gzip, wrong names, a name too long to archive, slow writers, links in and out, dangling links, directories,
// editor backups, duplicates — mixed with good files, dropped into a running node (the built CLI). After the drain:
// the node is up, every good row landed once, every bad file is in the error directory with a reason naming the
// file and its cause, the ignored entries (README: editor backups, directories not named like data) are where they
// were, and nothing else is left. RSS of the node is measured idle, at its peak and after (notes).
import { mkdir, open, rename, rm, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { seededRandom, SEED } from './random.js';
import { report, SHORT, type Figures } from './report.js';
import { operatorHome, placement, rowCounts, rssMb, startNode, until, waiting } from './operator-node.js';

const ENTRIES = SHORT ? 60 : 400;
const MB = 1024 * 1024;
const LIMIT = 64 * MB; // the default max_file_size

const rand = seededRandom(SEED);
const pick = <T,>(list: readonly T[]): T => list[Math.floor(rand() * list.length)]!;

const h = await operatorHome('edgelake-files-', ' and threads = 2');
const outside = join(h.home, 'outside');
const staging = join(h.home, 'staging');
await mkdir(outside);
await mkdir(staging);

const files = new Map<string, { dbmsTable: string; content: Buffer; cause?: RegExp }>();
const ignored = new Set<string>();
let nextId = 0;
let n = 0;

const rowsOf = (count: number) => Array.from({ length: count }, () => ({ id: nextId++, value: Math.floor(rand() * 1000) + 0.5, device: `d${Math.floor(rand() * 9)}` }));
const ndjson = (rows: object[]) => Buffer.from(rows.map((r) => JSON.stringify(r)).join('\n'));
// Zero-filled content compresses 1000:1; the bomb is built once (1 GB of spaces, about 1 MB of gzip).
const bomb = gzipSync(Buffer.alloc(1024 * MB, 0x20), { level: 9 });

async function dropWhole(name: string, bytes: Buffer): Promise<void> {
  await writeFile(join(staging, name), bytes);
  await rename(join(staging, name), join(h.watch, name));
}

async function slowWriter(name: string, lines: string[], cut = false): Promise<void> {
  const handle = await open(join(h.watch, name), 'w');
  for (const [i, line] of lines.entries()) {
    const last = i === lines.length - 1;
    await handle.write(last && cut ? line.slice(0, Math.ceil(line.length / 2)) : `${line}\n`);
    await new Promise((r) => setTimeout(r, 100));
  }
  await handle.close();
}

/** One fuzzed entry: drops it and records where it must end. Returns the writer still at work, if any. */
async function entry(only?: 'good'): Promise<Promise<void> | undefined> {
  const i = n++;
  const good = (name: string, content: Buffer, dbmsTable = 'test.fuzz') => files.set(name, { dbmsTable, content });
  const bad = (name: string, content: Buffer, cause: RegExp) => files.set(name, { dbmsTable: 'test.fuzz', content, cause });
  const kind = only ?? pick(['good', 'good', 'good', 'good', 'gz', 'pretty', 'array', 'slow', 'slowcut', 'linkin', 'malformed', 'truncated', 'empty', 'binary', 'badgz', 'cutgz', 'bomb', 'huge', 'badname', 'longname', 'linkout', 'dangling', 'linkdir', 'dir', 'backup', 'plaindir', 'duplicate', 'evilsql'] as const);
  switch (kind) {
    case 'good': {
      const name = `test.fuzz.g${i}.json`;
      const content = ndjson(rowsOf(1 + Math.floor(rand() * 300)));
      good(name, content);
      if (rand() < 0.5) await dropWhole(name, content);
      else await writeFile(join(h.watch, name), content);
      return undefined;
    }
    case 'gz': {
      const rows = ndjson(rowsOf(50));
      good(`test.fuzz.z${i}.json.gz`, rows);
      await dropWhole(`test.fuzz.z${i}.json.gz`, gzipSync(rows));
      return undefined;
    }
    case 'pretty': {
      const content = Buffer.from(JSON.stringify(rowsOf(1)[0], null, 2));
      good(`test.fuzz.p${i}.json`, content);
      await dropWhole(`test.fuzz.p${i}.json`, content);
      return undefined;
    }
    case 'array': {
      const content = Buffer.from(JSON.stringify(rowsOf(20)));
      good(`test.fuzz.a${i}.json`, content);
      await dropWhole(`test.fuzz.a${i}.json`, content);
      return undefined;
    }
    case 'slow': {
      const lines = rowsOf(20).map((r) => JSON.stringify(r));
      good(`test.fuzz.s${i}.json`, Buffer.from(lines.join('\n') + '\n'));
      return slowWriter(`test.fuzz.s${i}.json`, lines);
    }
    case 'slowcut': {
      // A writer that stops in the middle of its last line: the file fails whole, none of its rows is stored.
      const lines = rowsOf(10).map((r) => JSON.stringify(r));
      nextId -= 10;
      const cut = Buffer.from(lines.slice(0, -1).join('\n') + '\n' + lines.at(-1)!.slice(0, Math.ceil(lines.at(-1)!.length / 2)));
      bad(`test.fuzz.c${i}.json`, cut, /line 10 is not valid JSON/);
      return slowWriter(`test.fuzz.c${i}.json`, lines, true);
    }
    case 'linkin': {
      await mkdir(join(h.watch, 'inner'), { recursive: true });
      ignored.add('inner');
      const content = ndjson(rowsOf(5));
      await writeFile(join(h.watch, 'inner', `l${i}.json`), content);
      good(`test.fuzz.l${i}.json`, content);
      await symlink(join(h.watch, 'inner', `l${i}.json`), join(h.watch, `test.fuzz.l${i}.json`));
      return undefined;
    }
    case 'malformed': {
      const content = Buffer.from(`${JSON.stringify({ id: -1 })}\n{"id": ${i}, "value": nope}\n`);
      bad(`test.fuzz.m${i}.json`, content, /line 2 is not valid JSON/);
      await dropWhole(`test.fuzz.m${i}.json`, content);
      return undefined;
    }
    case 'truncated': {
      const content = Buffer.from(`{"id": -1, "value": 1}\n{"id": -2, "val`);
      bad(`test.fuzz.t${i}.json`, content, /line 2 is not valid JSON/);
      await dropWhole(`test.fuzz.t${i}.json`, content);
      return undefined;
    }
    case 'empty':
      bad(`test.fuzz.e${i}.json`, Buffer.alloc(0), /empty/);
      await dropWhole(`test.fuzz.e${i}.json`, Buffer.alloc(0));
      return undefined;
    case 'binary': {
      const content = Buffer.from(Array.from({ length: 2000 }, () => Math.floor(rand() * 256)));
      content[0] = 0x00; // never a JSON document
      bad(`test.fuzz.b${i}.json`, content, /JSON/);
      await dropWhole(`test.fuzz.b${i}.json`, content);
      return undefined;
    }
    case 'badgz': {
      const content = Buffer.from(Array.from({ length: 500 }, () => Math.floor(rand() * 256)));
      bad(`test.fuzz.x${i}.json.gz`, content, /not valid gzip data/);
      await dropWhole(`test.fuzz.x${i}.json.gz`, content);
      return undefined;
    }
    case 'cutgz': {
      const content = gzipSync(ndjson(rowsOf(100))).subarray(0, 200);
      nextId -= 100;
      bad(`test.fuzz.k${i}.json.gz`, content, /truncated gzip data/);
      await dropWhole(`test.fuzz.k${i}.json.gz`, content);
      return undefined;
    }
    case 'bomb':
      bad(`test.fuzz.o${i}.json.gz`, bomb, /decompresses to more than max_file_size = 64 MB/);
      await dropWhole(`test.fuzz.o${i}.json.gz`, bomb);
      return undefined;
    case 'huge': {
      // One line of 65 MB: over the limit before a byte of it is read.
      const name = `test.fuzz.h${i}.json`;
      const handle = await open(join(staging, name), 'w');
      await handle.truncate(LIMIT + MB);
      await handle.close();
      files.set(name, { dbmsTable: 'test.fuzz', content: Buffer.alloc(0), cause: /65 MB, over the operator's limit max_file_size = 64 MB/ });
      await rename(join(staging, name), join(h.watch, name));
      return undefined;
    }
    case 'badname': {
      const name = pick([`onlyone${i}.json`, `te-st.fuzz${i}.json`, `a.b.c.d.e.f${i}.json`, `test.fuzz${i}`, `test.fuzz${i}.fuzzext`, `test.fuzz.${i}.nothex.json`, `readme${i}.txt`]);
      const content = ndjson([{ id: -1 }]);
      bad(name, content, /segment|may hold|no type|not a type|is not 32 hex|\.txt/);
      await dropWhole(name, content);
      return undefined;
    }
    case 'longname': {
      const name = `test.${'t'.repeat(170 + (i % 60))}.json`;
      const content = ndjson([{ id: -1 }]);
      bad(name, content, /over the 255-byte limit of a file name/);
      await dropWhole(name, content);
      return undefined;
    }
    case 'linkout': {
      await writeFile(join(outside, `secret${i}.txt`), `password=hunter${i}, never to be quoted\n`);
      bad(`test.fuzz.u${i}.json`, Buffer.alloc(0), /outside the watch directory/);
      await symlink(join(outside, `secret${i}.txt`), join(h.watch, `test.fuzz.u${i}.json`));
      return undefined;
    }
    case 'dangling':
      bad(`test.fuzz.n${i}.json`, Buffer.alloc(0), /which does not exist/);
      await symlink(join(outside, `missing${i}.json`), join(h.watch, `test.fuzz.n${i}.json`));
      return undefined;
    case 'linkdir':
      await mkdir(join(h.watch, 'inner'), { recursive: true });
      ignored.add('inner');
      bad(`test.fuzz.q${i}.json`, Buffer.alloc(0), /a symbolic link to a directory/);
      await symlink(join(h.watch, 'inner'), join(h.watch, `test.fuzz.q${i}.json`));
      return undefined;
    case 'dir':
      bad(`test.fuzz.d${i}.json`, Buffer.alloc(0), /a directory; the operator ingests files only/);
      await mkdir(join(h.watch, `test.fuzz.d${i}.json`));
      return undefined;
    case 'backup':
      ignored.add(`test.fuzz.w${i}.json~`);
      await writeFile(join(h.watch, `test.fuzz.w${i}.json~`), ndjson([{ id: -1 }]));
      return undefined;
    case 'plaindir':
      ignored.add(`folder${i}`);
      await mkdir(join(h.watch, `folder${i}`));
      return undefined;
    case 'duplicate': {
      const content = ndjson(rowsOf(3));
      good(`test.fuzz.f${i}.json`, content);
      await dropWhole(`test.fuzz.f${i}.json`, content);
      // The same bytes under another name, once the first is in: a duplicate (86), not new rows.
      await until(async () => !(await waiting(h)).includes(`test.fuzz.f${i}.json`), 30_000);
      bad(`test.fuzz.f${i}dup.json`, content, /duplicate of a file already ingested/);
      await dropWhole(`test.fuzz.f${i}dup.json`, content);
      return undefined;
    }
    case 'evilsql': {
      const content = Buffer.from('drop table fuzz;');
      bad(`test.fuzz.v${i}.sql`, content, /statement 1 is not an INSERT into fuzz/);
      await dropWhole(`test.fuzz.v${i}.sql`, content);
      return undefined;
    }
  }
}

const node = startNode(h);
await node.started;
await new Promise((r) => setTimeout(r, 2000)); // the start-up script runs the operator
const rssCold = rssMb(node.child.pid!);
// A few good files first: the idle level to come back to is the node's after it has ingested (workers loaded,
// database caches filled), not before its first file.
for (let w = 0; w < 5; w++) await entry('good');
await until(async () => (await waiting(h)).length === 0, 60_000);
await new Promise((r) => setTimeout(r, 10_000));
const rssIdle = rssMb(node.child.pid!);
let rssPeak = rssIdle;
const sampler = setInterval(() => (rssPeak = Math.max(rssPeak, rssMb(node.child.pid!))), 100);
const t0 = Date.now();
let survived = 0;
const writers: Promise<void>[] = [];
while (n < ENTRIES) {
  // A batch at a time, slow writers still writing while the next batch lands.
  for (let b = 0; b < 10 && n < ENTRIES; b++) {
    const writer = await entry();
    if (writer) writers.push(writer);
  }
  if (node.child.exitCode === null) survived = n;
  await new Promise((r) => setTimeout(r, 200));
}
await Promise.all(writers);
const isIgnored = (name: string) => ignored.has(name);
const drained = await until(async () => (await waiting(h, isIgnored)).length === 0 && (await until(async () => (await waiting(h, isIgnored)).length > 0, 3000)) === false, 300_000);
// V8's memory reducer gives heap back after some seconds without work.
await new Promise((r) => setTimeout(r, 10_000));
clearInterval(sampler);
const rssAfter = rssMb(node.child.pid!);
const up = node.child.exitCode === null;
if (!up) survived = Math.min(survived, n - 1);
node.child.kill('SIGTERM');
await node.exited;

const goodIds = [...files.values()].filter((f) => !f.cause).length;
const { rows, distinct } = rowCounts(h, 'fuzz');
const placed = await placement(h, files);
const left = await waiting(h, isIgnored);
const present = await waiting(h);
const ignoredMissing = [...ignored].filter((name) => !present.includes(name));
const figures: Figures = {
  name: SHORT ? 'files (short)' : 'files',
  tried: n,
  survived: up && drained ? survived : Math.min(survived, n - 1),
  lost: nextId - distinct,
  duplicated: rows - distinct,
  unaccounted: placed.unaccounted.length + left.length + placed.temporaries.length + ignoredMissing.length,
  unclear: placed.unclear.length,
  notes: [
    `${n} entries (${goodIds} good files, ${nextId} good rows, ${files.size - goodIds} bad, ${ignored.size} ignored by rule), seed ${SEED}, ${((Date.now() - t0) / 1000).toFixed(0)} s`,
    `node RSS: ${rssCold} MB at start, ${rssIdle} MB idle after 5 good files, ${rssPeak} MB peak, ${rssAfter} MB after the drain (gzip bombs of 1 GB, files of 65 MB among the entries)`,
    ...placed.unaccounted.slice(0, 8),
    ...left.slice(0, 5).map((f) => `left in the watch directory: ${f}`),
    ...ignoredMissing.slice(0, 5).map((f) => `an entry to be ignored was moved: ${f}`),
    ...placed.temporaries.slice(0, 5).map((f) => `temporary file left: ${f}`),
    ...placed.unclear.slice(0, 8).map((u) => `unclear: ${u}`),
  ],
};
if (!process.env.RELIABILITY_KEEP) await rm(h.home, { recursive: true, force: true });
else figures.notes!.push(`home kept: ${h.home}`);
report(figures);
