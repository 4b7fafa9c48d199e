// The console window: isolated, sandboxed, no Node in the page, no remote content, strict CSP, window state kept.
import { BrowserWindow, screen, session, shell, type BrowserWindowConstructorOptions } from 'electron';
import { join } from 'node:path';
import { clampToDisplays, WindowStateStore, type WindowState } from './window-state.js';

/** The CSP of the desktop console (also in renderer/index.html). */
export const DESKTOP_CSP =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

export function windowOptions(preloadPath: string, state: WindowState): BrowserWindowConstructorOptions {
  return {
    x: state.x,
    y: state.y,
    width: state.width,
    height: state.height,
    minWidth: 640,
    minHeight: 420,
    show: false,
    title: 'EdgeLake Desktop',
    backgroundColor: '#12161c',
    webPreferences: {
      preload: preloadPath,
      contextIsolation: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      sandbox: true,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      spellcheck: false,
    },
  };
}

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
