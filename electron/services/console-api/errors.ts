// The Ingestion Errors panel's operations on !err_dir: list the failed files with their reasons (written by the
// operator as `<file>.err.json`), read one, replay it (edited or not) into !watch_dir under its original name, or
// delete it. Names are plain file names inside the error directory, never paths.
import { lstat, readdir, readFile, rename, rm, stat, writeFile, open } from 'node:fs/promises';
import { join } from 'node:path';
import type { ErrorFile, ErrorFileContent } from '../../../shared/types.js';
import type { EdgeNode } from '../node.js';

const MAX_SHOWN = 256 * 1024;

function dirs(node: EdgeNode): { err: string; watch: string } {
  return { err: node.dictionary.get('err_dir')!, watch: node.dictionary.get('watch_dir')! };
}

async function reasonOf(errDir: string, file: string): Promise<Omit<ErrorFile, 'size' | 'kind'>> {
  try {
    const r = JSON.parse(await readFile(join(errDir, `${file}.err.json`), 'utf8')) as Partial<ErrorFile>;
    return { file, source: r.source ?? file, code: r.code ?? 0, error: r.error ?? 'Unknown', reason: r.reason ?? '', time: r.time ?? '' };
  } catch {
    return { file, source: file, code: 0, error: 'No reason recorded', reason: 'the file was placed in the error directory without a reason file', time: '' };
  }
}

/** The path of an entry of the error directory; `anyKind` also takes the directories and links the operator refused. */
async function existing(errDir: string, file: string, anyKind = false): Promise<string> {
  const path = join(errDir, file);
  const s = await lstat(path).catch(() => undefined);
  const ok = s && (s.isFile() || (anyKind && (s.isDirectory() || s.isSymbolicLink())));
  if (!ok || file.endsWith('.err.json') || /[/\\]/.test(file)) throw new Error(`'${file}' is not ${anyKind ? 'an entry' : 'a file'} in the error directory`);
  return path;
}

const kindOf = (s: { isDirectory(): boolean; isSymbolicLink(): boolean }): ErrorFile['kind'] => (s.isSymbolicLink() ? 'link' : s.isDirectory() ? 'directory' : 'file');

export async function listErrors(node: EdgeNode): Promise<ErrorFile[]> {
  const { err } = dirs(node);
  const names = (await readdir(err).catch(() => [] as string[])).filter((n) => !n.endsWith('.err.json')).sort();
  const out: ErrorFile[] = [];
  for (const file of names) {
    // Directories and links the operator refused are listed too (with their reason), as `get tsd errors` lists them.
    const s = await lstat(join(err, file)).catch(() => undefined);
    if (!s || !(s.isFile() || s.isDirectory() || s.isSymbolicLink())) continue;
    out.push({ ...(await reasonOf(err, file)), size: s.isFile() ? s.size : 0, kind: kindOf(s) });
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
  const path = await existing(err, file, true);
  await rm(path, { recursive: true }); // a link is removed, never what it points to
  await rm(join(err, `${file}.err.json`), { force: true });
  return { deleted: file };
}
