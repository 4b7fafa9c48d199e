import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { desktopHome } from './home.js';
import { DESKTOP_CSP, windowOptions } from './window-options.js';
import { clampToDisplays, DEFAULT_STATE, parseState, WindowStateStore } from './window-state.js';

test('the window isolates the page: context isolation, sandbox, no Node, web security', () => {
  const prefs = windowOptions('/p/preload.cjs', DEFAULT_STATE).webPreferences!;
  assert.equal(prefs.contextIsolation, true);
  assert.equal(prefs.nodeIntegration, false);
  assert.equal(prefs.sandbox, true);
  assert.equal(prefs.webSecurity, true);
  assert.equal(prefs.webviewTag, false);
  assert.equal(prefs.preload, '/p/preload.cjs');
});

test('the CSP allows only the app itself: no remote origin, no eval, no inline script', () => {
  assert.match(DESKTOP_CSP, /default-src 'self'/);
  assert.match(DESKTOP_CSP, /script-src 'self';/);
  assert.doesNotMatch(DESKTOP_CSP, /unsafe-eval|unsafe-inline|https?:|\*/);
});

test('saved window state round-trips atomically and a corrupt file falls back to defaults', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'edgelake-win-'));
  const store = new WindowStateStore(join(dir, 'state.json'));
  assert.deepEqual(store.load(), DEFAULT_STATE);
  store.save({ x: 10, y: 20, width: 900, height: 700, maximized: true });
  assert.deepEqual(store.load(), { x: 10, y: 20, width: 900, height: 700, maximized: true });
  assert.deepEqual(await readdir(dir), ['state.json']);
  assert.deepEqual(parseState('{not json'), DEFAULT_STATE);
  assert.equal(JSON.parse(await readFile(join(dir, 'state.json'), 'utf8')).width, 900);
  await rm(dir, { recursive: true, force: true });
});

test('a window saved on a display that is gone comes back centred on the first display', () => {
  const display = { x: 0, y: 0, width: 1920, height: 1080 };
  assert.deepEqual(clampToDisplays({ x: 3000, y: 100, width: 800, height: 600, maximized: false }, [display]), { x: 560, y: 240, width: 800, height: 600, maximized: false });
  assert.deepEqual(clampToDisplays({ x: 100, y: 100, width: 5000, height: 600, maximized: false }, [display]), { x: 100, y: 100, width: 1920, height: 600, maximized: false });
});

test('the desktop home is --home, then EDGELAKE_HOME, then userData/node', () => {
  assert.equal(desktopHome('/a', { EDGELAKE_HOME: '/b' }, '/u'), '/a');
  assert.equal(desktopHome(undefined, { EDGELAKE_HOME: '/b' }, '/u'), '/b');
  assert.equal(desktopHome(undefined, {}, '/u'), '/u/node');
});
