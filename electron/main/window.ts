// The console window: isolated, sandboxed, no Node in the page, no remote content, strict CSP, window state kept.
import { BrowserWindow, screen, session, shell } from 'electron';
import { join } from 'node:path';
import { DESKTOP_CSP, windowOptions } from './window-options.js';
import { clampToDisplays, WindowStateStore } from './window-state.js';

export function createMainWindow(distDir: string, stateFile: string): BrowserWindow {
  const store = new WindowStateStore(stateFile);
  const displays = screen.getAllDisplays().map((d) => d.workArea);
  const state = clampToDisplays(store.load(), displays);
  const win = new BrowserWindow(windowOptions(join(distDir, 'electron', 'preload.cjs'), state));
  if (state.maximized) win.maximize();

  session.defaultSession.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [DESKTOP_CSP] } });
  });
  session.defaultSession.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  win.webContents.on('will-navigate', (event, url) => {
    if (!url.startsWith('file://')) event.preventDefault();
  });
  win.webContents.setWindowOpenHandler(({ url }) => {
    if (url.startsWith('https://')) void shell.openExternal(url);
    return { action: 'deny' };
  });

  let timer: NodeJS.Timeout | undefined;
  const save = () => {
    if (win.isDestroyed()) return;
    const bounds = win.getNormalBounds();
    store.save({ ...bounds, maximized: win.isMaximized() });
  };
  const saveSoon = () => {
    clearTimeout(timer);
    timer = setTimeout(save, 500);
  };
  win.on('resize', saveSoon);
  win.on('move', saveSoon);
  win.on('close', () => {
    clearTimeout(timer);
    save();
  });
  win.once('ready-to-show', () => win.show());
  void win.loadFile(join(distDir, 'renderer', 'index.html'));
  return win;
}
