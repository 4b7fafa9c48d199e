// The node's ledger (policies.md §6): `!blockchain_file`, one policy per line as Python's json.dumps writes it,
// held in memory for `blockchain get`. Every change rewrites the file through a temporary file and a rename (after
// fsync), so a crash mid-write leaves the previous ledger whole (EdgeLake appends in place). A line that is not a
// policy (EdgeLake silently stops loading at it) is kept, not dropped: a rewrite puts such lines after the policies
// (so an EdgeLake node reading the same file loads every policy before it stops), and `issues()` reports them to
// `blockchain test`, `blockchain insert`, `run operator` and the console's Policies panel. Every line written is
// checked to be JSON: a value with no JSON text (Python's `Infinity`) never reaches the file.
import { EventEmitter } from 'node:events';
import { copyFile, mkdir, open, readFile, rename, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { pyJsonDumps } from '../command/format/pyjson.js';
import { parsePyJson, type PyValue } from './policy-id.js';

export type PolicyBody = { [key: string]: PyValue };
export type Policy = { [type: string]: PolicyBody };

/** The type (root key) and the attributes of a policy. */
export function typeOf(policy: Policy): string {
  return Object.keys(policy)[0]!;
}

export function bodyOf(policy: Policy): PolicyBody {
  return policy[typeOf(policy)]!;
}

export interface LedgerProblem {
  line: number;
  reason: string;
}

/** A line of the file that is not a policy, kept as it was read. */
interface BadLine {
  text: string;
  reason: string;
}

/** The ledger line of a policy (json.dumps text); throws when it would not be JSON, naming the policy. */
export function ledgerLine(policy: Policy): string {
  const line = pyJsonDumps(policy);
  try {
    JSON.parse(line);
  } catch (err) {
    throw new Error(`policy ${String(bodyOf(policy).id ?? typeOf(policy))} would not be JSON in the ledger file (${(err as Error).message}); not written`, { cause: err });
  }
  return line;
}

export class Ledger extends EventEmitter<{ changed: [] }> {
  private policies: Policy[] | undefined;
  private loadedFrom: string | undefined;
  private bad: BadLine[] = [];
  /** Where the bad lines are in the file as last read or written. */
  private problems: LedgerProblem[] = [];
  private writing: Promise<void> = Promise.resolve();

  constructor(private readonly file: () => string) {
    super();
  }

  /** What the file was when last read or written: a change by someone else (an editor, a sync) is reloaded. */
  private stamp = '';

  private async currentStamp(): Promise<string> {
    const s = await stat(this.file()).catch(() => undefined);
    return s ? `${s.mtimeMs}:${s.size}` : 'missing';
  }

  /** The policies in ledger order (read again whenever the file changed on disk or the file setting changed). */
  async all(): Promise<Policy[]> {
    if (!this.policies || this.loadedFrom !== this.file() || (await this.currentStamp()) !== this.stamp) await this.load();
    return this.policies!;
  }

  /** Re-reads the file (`blockchain load metadata`). */
  async load(): Promise<{ policies: number; problems: LedgerProblem[] }> {
    const file = this.file();
    this.stamp = await this.currentStamp();
    let text = '';
    try {
      text = await readFile(file, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    }
    const policies: Policy[] = [];
    const problems: LedgerProblem[] = [];
    const bad: BadLine[] = [];
    for (const [i, line] of text.split('\n').entries()) {
      if (!line.trim()) continue;
      try {
        const value = parsePyJson(line);
        if (!value || typeof value !== 'object' || Array.isArray(value) || Object.keys(value).length !== 1) throw new Error('not an object with one root key');
        const body = Object.values(value)[0];
        if (!body || typeof body !== 'object' || Array.isArray(body)) throw new Error('its value is not an object');
        policies.push(value as Policy);
      } catch (err) {
        problems.push({ line: i + 1, reason: (err as Error).message });
        bad.push({ text: line, reason: (err as Error).message });
      }
    }
    this.policies = policies;
    this.loadedFrom = file;
    this.problems = problems;
    this.bad = bad;
    this.emit('changed');
    return { policies: policies.length, problems };
  }

  issues(): LedgerProblem[] {
    return [...this.problems];
  }

  /** Appends policies and rewrites the file atomically; resolves when the file is on disk. */
  async append(...added: Policy[]): Promise<void> {
    await this.change((list) => [...list, ...added]);
  }

  /** Removes the policies with this id; returns how many were removed. */
  async remove(id: string): Promise<number> {
    let removed = 0;
    await this.change((list) =>
      list.filter((p) => {
        const match = bodyOf(p).id === id;
        if (match) removed++;
        return !match;
      }),
    );
    return removed;
  }

  /** Replaces the whole ledger (a copy pulled from a master). */
  async replace(policies: Policy[]): Promise<void> {
    await this.change(() => policies);
  }

  /**
   * Installs a ledger pulled from a master, keeping this node's local policies the master lacks, in the same
   * turn as every other change: a policy inserted while the pull was under way is kept, not overwritten (an
   * insert and a sync at the same moment lost the insert before). The file it replaces is kept as
   * `blockchain.old`. Returns the local policies kept (the caller pushes them again).
   */
  async installFromMaster(incoming: Policy[]): Promise<Policy[]> {
    let kept: Policy[] = [];
    await this.change(async (list) => {
      const ids = new Set(incoming.map((p) => String(bodyOf(p).id)));
      kept = list.filter((p) => bodyOf(p).ledger === 'local' && !ids.has(String(bodyOf(p).id)));
      await copyFile(this.file(), join(dirname(this.file()), 'blockchain.old')).catch(() => undefined);
      return [...incoming, ...kept];
    });
    return kept;
  }

  private async change(edit: (list: Policy[]) => Policy[] | Promise<Policy[]>): Promise<void> {
    // Changes are applied one after the other: two inserts at once must both land in the file.
    const next = this.writing.then(async () => {
      const list = await edit(await this.all());
      const lines = list.map(ledgerLine);
      await writeAtomically(this.file(), [...lines, ...this.bad.map((b) => b.text)].map((l) => `${l}\n`).join(''));
      this.problems = this.bad.map((b, i) => ({ line: lines.length + i + 1, reason: b.reason }));
      this.policies = list;
      this.stamp = await this.currentStamp();
      this.emit('changed');
    });
    this.writing = next.catch(() => undefined);
    await next;
  }
}

async function writeAtomically(file: string, text: string): Promise<void> {
  await mkdir(dirname(file), { recursive: true });
  const tmp = `${file}.tmp-${process.pid}`;
  const handle = await open(tmp, 'w');
  try {
    await handle.writeFile(text, 'utf8');
    await handle.sync();
  } finally {
    await handle.close();
  }
  await rename(tmp, file);
}
