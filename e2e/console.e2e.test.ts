// The console in real Chromium against headless mode: processes, commands, starting the REST server and calling it.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { freePort, startHarness, type Harness } from './harness.js';
import { ConsoleApp } from './pages/console-app.js';

let h: Harness;
let app: ConsoleApp;

before(async () => {
  h = await startHarness();
  app = new ConsoleApp(h.page);
  await app.open(h.url);
});
after(async () => {
  await h?.close();
});

test('the Processes panel lists EdgeLake processes in order with their status', async () => {
  await app.show('Processes');
  await app.processRow('Video Processes').waitFor();
  const names = await h.page.locator('tr[data-process]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-process')));
  assert.deepEqual(names.slice(0, 4), ['TCP', 'REST', 'MCP', 'Operator']);
  assert.ok(names.includes('Publisher') && names.includes('Distributor') && names.includes('Consumer'));
  assert.equal(await app.processStatus('REST'), 'Not declared');
  await app.screenshot('processes');
});

test('get status typed in the Console panel shows the reply as EdgeLake prints it', async () => {
  await app.show('Console');
  const entry = await app.run('get status');
  assert.match((await entry.locator('.output').textContent()) ?? '', /^AnyLog@127\.0\.0\.1 running/);
});

test('a JSON reply is shown as a tree, and a malformed command as an error naming the token', async () => {
  const json = await app.run('get status where format = json');
  await json.getByRole('tree', { name: 'JSON reply' }).waitFor();
  assert.match((await json.getByRole('tree').textContent()) ?? '', /assigned_name/);
  const bad = await app.run('get status where formt = json');
  assert.match((await bad.locator('.output').textContent()) ?? '', /Unknown key 'formt' at position 18; did you mean 'format'\?/);
  await app.screenshot('console');
});

test('Up and Down walk the command history', async () => {
  await app.commandInput.fill('');
  await app.commandInput.press('ArrowUp');
  assert.equal(await app.commandInput.inputValue(), 'get status where formt = json');
  await app.commandInput.press('ArrowUp');
  assert.equal(await app.commandInput.inputValue(), 'get status where format = json');
  await app.commandInput.press('ArrowDown');
  assert.equal(await app.commandInput.inputValue(), 'get status where formt = json');
});

test('the REST server started from the console turns Running (pushed) and answers an HTTP client', async () => {
  const port = await freePort();
  await app.run(`run rest server where external_ip = 127.0.0.1 and external_port = ${port} and internal_ip = 127.0.0.1 and internal_port = ${port} and bind = true and timeout = 20`);
  await app.show('Processes');
  await h.page.locator('tr[data-process="REST"] .status', { hasText: 'Running' }).waitFor();
  assert.match((await app.processRow('REST').textContent()) ?? '', new RegExp(`Listening on: 127\\.0\\.0\\.1:${port}, Threads Pool: 5, Timeout: 20, SSL: False`));
  const res = await fetch(`http://127.0.0.1:${port}/`, { headers: { command: 'get status', 'User-Agent': 'AnyLog/1.23' } });
  assert.equal(res.status, 200);
  assert.equal(await res.text(), 'AnyLog@127.0.0.1 running');
  await app.screenshot('processes-rest-running');
});

test('Stop in the Processes panel stops the REST server and the port closes', async () => {
  const details = (await app.processRow('REST').textContent()) ?? '';
  const port = Number(/127\.0\.0\.1:(\d+)/.exec(details)![1]);
  await h.page.getByRole('button', { name: 'Stop REST' }).click();
  await h.page.locator('tr[data-process="REST"] .status', { hasText: 'Not declared' }).waitFor();
  await assert.rejects(fetch(`http://127.0.0.1:${port}/`, { headers: { command: 'get status', 'User-Agent': 'AnyLog/1.23' } }));
});

test('every panel opens, and the theme toggles between light and dark', async () => {
  for (const panel of ['TSD Info', 'Archive', 'Ingestion Errors', 'Operator Stats', 'Policies', 'Cluster Editor', 'Topology', 'Network', 'Query Status']) {
    await app.show(panel);
    await h.page.getByRole('heading', { name: panel }).waitFor();
    await app.screenshot(panel.toLowerCase().replace(/\s+/g, '-'));
  }
  const before = await h.page.evaluate(() => document.documentElement.dataset.theme);
  await h.page.getByRole('button', { name: /Switch to (light|dark) theme/ }).click();
  const afterToggle = await h.page.evaluate(() => document.documentElement.dataset.theme);
  assert.notEqual(afterToggle, before);
  await app.show('Processes');
  await app.screenshot(`processes-${afterToggle}`);
});

test('a script run from the Console panel shows its progress line by line, a failing line marked with its code', async () => {
  const { mkdtemp, writeFile, rm } = await import('node:fs/promises');
  const { tmpdir } = await import('node:os');
  const { join } = await import('node:path');
  const dir = await mkdtemp(join(tmpdir(), 'edgelake-e2e-script-'));
  try {
    const script = join(dir, 'deploy.al');
    await writeFile(script, ['on error ignore', 'step = 1', 'get status', 'no such command here', 'step = 2'].join('\n'));
    await app.show('Console');
    const entry = await app.run(`process ${script}`);
    const lines = entry.getByRole('list', { name: `Script lines of process ${script}` }).locator('li');
    await lines.nth(4).waitFor();
    const texts = await lines.allTextContents();
    assert.deepEqual(texts.map((t) => t.replace(/\s+/g, ' ').trim()), ['deploy.al:1 ✓ on error ignore', 'deploy.al:2 ✓ step = 1', 'deploy.al:3 ✓ get status', 'deploy.al:4 ✗ 141 no such command here', 'deploy.al:5 ✓ step = 2']);
    await app.screenshot('console-script');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
