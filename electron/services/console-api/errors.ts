// The Ingestion Errors panel's operations on !err_dir: list the failed files with their reasons (written by the
// operator as `<file>.err.json`), read one, replay it (edited or not) into !watch_dir under its original name, or
// delete it. Names are plain file names inside the error directory, never paths.
import { readdir, readFile, rename, rm, stat, writeFile, open } from 'node:fs/promises';
import { join } from 'node:path';
import type { ErrorFile, ErrorFileContent } from '../../../shared/types.js';
import type { EdgeNode } from '../node.js';

const MAX_SHOWN = 256 * 1024;

function dirs(node: EdgeNode): { err: string; watch: string } {
  return { err: node.dictionary.get('err_dir')!, watch: node.dictionary.get('watch_dir')! };
}

async function reasonOf(errDir: string, file: string): Promise<Omit<ErrorFile, 'size'>> {
  try {
    const r = JSON.parse(await readFile(join(errDir, `${file}.err.json`), 'utf8')) as Partial<ErrorFile>;
    return { file, source: r.source ?? file, code: r.code ?? 0, error: r.error ?? 'Unknown', reason: r.reason ?? '', time: r.time ?? '' };
  } catch {
    return { file, source: file, code: 0, error: 'No reason recorded', reason: 'the file was placed in the error directory without a reason file', time: '' };
  }
}

async function existing(errDir: string, file: string): Promise<string> {
  const path = join(errDir, file);
  const s = await stat(path).catch(() => undefined);
  if (!s?.isFile() || file.endsWith('.err.json')) throw new Error(`'${file}' is not a file in the error directory`);
  return path;
}

export async function listErrors(node: EdgeNode): Promise<ErrorFile[]> {
  const { err } = dirs(node);
  const names = (await readdir(err).catch(() => [] as string[])).filter((n) => !n.endsWith('.err.json')).sort();
  const out: ErrorFile[] = [];
  for (const file of names) {
    const s = await stat(join(err, file)).catch(() => undefined);
    if (!s?.isFile()) continue;
    out.push({ ...(await reasonOf(err, file)), size: s.size });
  }
  return out;
}

export async function readError(node: EdgeNode, file: string): Promise<ErrorFileContent> {
  const path = await existing(dirs(node).err, file);
  const handle = await open(path, 'r');
  try {
    const buffer = Buffer.alloc(MAX_SHOWN + 1);
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
    return { file, content: buffer.subarray(0, Math.min(bytesRead, MAX_SHOWN)).toString('utf8'), truncated: bytesRead > MAX_SHOWN };
  } finally {
    await handle.close();
  }
}

export async function replayError(node: EdgeNode, file: string, content?: string): Promise<{ replayedAs: string }> {
  const { err, watch } = dirs(node);
  const path = await existing(err, file);
  const { source } = await reasonOf(err, file);
  const target = join(watch, source);
  if (await stat(target).then(() => true, () => false)) throw new Error(`'${source}' is already waiting in the watch directory`);
  if (content === undefined) {
    await rename(path, target);
  } else {
    // Written under a temporary name first so the operator never reads half a file.
    const tmp = join(watch, `.${source}.replay`);
    await writeFile(tmp, content);
    await rename(tmp, target);
    await rm(path);
  }
  await rm(join(err, `${file}.err.json`), { force: true });
  return { replayedAs: source };
}

export async function deleteError(node: EdgeNode, file: string): Promise<{ deleted: string }> {
  const { err } = dirs(node);
  const path = await existing(err, file);
  await rm(path);
  await rm(join(err, `${file}.err.json`), { force: true });
  return { deleted: file };
}
