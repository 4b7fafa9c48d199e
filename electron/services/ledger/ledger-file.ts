// Reading the node's ledger file (!blockchain_file, policies.md §6): one policy per line, blank lines skipped.
// The operator looks its own policy up here. Writing, ids, `blockchain` commands and sync are the metadata
// layer's (later work); a line that is not JSON is reported with its number (EdgeLake silently stops there).
import { readFile } from 'node:fs/promises';
import { CommandError } from '../core/status.js';

export type Policy = Record<string, Record<string, unknown>>;

export async function readLedger(file: string): Promise<Policy[]> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
  const policies: Policy[] = [];
  for (const [i, line] of text.split('\n').entries()) {
    if (!line.trim()) continue;
    try {
      const value = JSON.parse(line) as unknown;
      if (value && typeof value === 'object' && !Array.isArray(value) && Object.keys(value).length === 1) policies.push(value as Policy);
      else throw new Error('a policy is an object with one key, its type');
    } catch (err) {
      throw new CommandError(87, `${file}: line ${i + 1} is not a policy (${(err as Error).message})`);
    }
  }
  return policies;
}

/** The policies of one type whose `id` matches. */
export function policiesById(policies: readonly Policy[], type: string, id: string): Record<string, unknown>[] {
  return policies.filter((p) => p[type]?.id === id).map((p) => p[type]!);
}
