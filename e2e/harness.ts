// Starts a real node with its headless console on free ports and a real Chromium (Debian's) driven by
// playwright-core; everything started is stopped by `close()`.
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { HeadlessConsole } from '../electron/services/headless/server.js';
import { EdgeNode } from '../electron/services/node.js';

export const root = new URL('..', import.meta.url).pathname;

export { freePort } from '../electron/services/testing/net.js';
export interface Harness {
  node: EdgeNode;
  url: string;
  browser: Browser;
  page: Page;
  close(): Promise<void>;
}

export async function startHarness(): Promise<Harness> {
  const home = await mkdtemp(join(tmpdir(), 'edgelake-e2e-'));
  await mkdir(join(root, 'test-results', 'screenshots'), { recursive: true });
  const node = new EdgeNode({ home, ip: '127.0.0.1' });
  await node.start();
  const consoleServer = new HeadlessConsole();
  // The printed URL, token included: the page's first load turns it into the cookie its later requests carry.
  const url = await consoleServer.start({ node, port: 0, staticDir: join(root, 'dist', 'renderer') });
  if (!new URL(url).searchParams.get('token')) throw new Error(`the console URL carries no token: ${url}`);
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-dev-shm-usage'],
  });
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  return {
    node,
    url,
    browser,
    page,
    async close() {
      await browser.close();
      await consoleServer.stop();
      await node.stop();
      await rm(home, { recursive: true, force: true });
      if (errors.length) throw new Error(`the page raised errors: ${errors.join('; ')}`);
    },
  };
}

/** Connects almgm and test, creates tsd_info and runs the operator with a policy written to the ledger file. */
export async function startOperator(h: Harness, policyId: string, member: number, extraDbms: string[] = []): Promise<void> {
  await writeFile(h.node.dictionary.get('blockchain_file')!, `{"operator": {"name": "op", "company": "c", "cluster": "c1", "id": "${policyId}", "member": ${member}}}\n`);
  const commands = ['almgm', 'test', ...extraDbms].map((d) => `connect dbms ${d} where type = sqlite`);
  commands.push('create table tsd_info where dbms = almgm', `run operator where policy = ${policyId} and update_tsd_info = true`);
  for (const c of commands) {
    const r = await h.node.execute(c);
    if (r.code !== 0) throw new Error(`${c}: ${r.text}`);
  }
}

/** Waits (bounded) until the watch directory is empty and the operator idle. */
export async function waitForIngestion(h: Harness, ms = 30_000): Promise<void> {
  const watch = h.node.dictionary.get('watch_dir')!;
  const end = Date.now() + ms;
  while ((await readdir(watch)).length > 0 && Date.now() < end) await new Promise((r) => setTimeout(r, 50));
  await h.node.operator.drained();
}
