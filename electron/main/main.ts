// The Electron shell: one node per app, the console window, the contract bound to ipcMain. It owns no node
// logic: the engine is electron/services (plain Node), shared with the headless mode.
import { app, BrowserWindow, ipcMain } from 'electron';
import { join } from 'node:path';
import { IPC_EVENT_CHANNEL } from '../../shared/contract.js';
import { bindContract } from '../services/console-api/bind.js';
import { embeddedLink } from '../services/console-api/embedded-link.js';
import { createHandlers, subscribeEvents } from '../services/console-api/handlers.js';
import { EDGELAKE_VERSION, EdgeNode } from '../services/node.js';
import { desktopHome } from './home.js';
import { ipcMainTransport } from './ipc-transport.js';
import { installMenu, installTray } from './menu.js';
import { createMainWindow } from './window.js';

function flag(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i === -1 ? undefined : process.argv[i + 1];
}

const distDir = join(__dirname, '..');
let win: BrowserWindow | undefined;
let node: EdgeNode | undefined;
let quitting = false;

const show = () => {
  if (!win) return;
  if (win.isMinimized()) win.restore();
  win.show();
  win.focus();
};

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on('second-instance', show);
  app.whenReady().then(async () => {
    node = new EdgeNode({ home: desktopHome(flag('--home'), process.env, app.getPath('userData')) });
    await node.start();
    const link = embeddedLink(node);
    bindContract(createHandlers(link), ipcMainTransport(ipcMain));
    subscribeEvents(link, (event, payload) => win?.webContents.send(IPC_EVENT_CHANNEL, event, payload));
    node.once('stopped', () => {
      if (!quitting) app.quit();
    });
    const script = flag('--script');
    if (script) await node.execute(`process ${script}`, 'script');

    installMenu(() => win, EDGELAKE_VERSION);
    installTray(join(distDir, '..', 'build', 'icons'), show);
    win = createMainWindow(distDir, join(app.getPath('userData'), 'window-state.json'));
    win.on('closed', () => (win = undefined));
    app.on('activate', () => {
      if (!win) win = createMainWindow(distDir, join(app.getPath('userData'), 'window-state.json'));
    });
  });

  app.on('before-quit', (event) => {
    if (quitting || !node) return;
    // Stop every service (ports, sockets, timers) before the process ends.
    event.preventDefault();
    quitting = true;
    void node.stop().finally(() => app.quit());
  });
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
}
