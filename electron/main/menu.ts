// Application menu and tray: Show / Quit, reload and developer tools, About with the version.
import { app, dialog, Menu, nativeImage, Tray, type BrowserWindow } from 'electron';
import { join } from 'node:path';

export function installMenu(getWindow: () => BrowserWindow | undefined, version: string): void {
  const menu = Menu.buildFromTemplate([
    { label: 'File', submenu: [{ role: 'quit' }] },
    { label: 'View', submenu: [{ role: 'reload' }, { role: 'toggleDevTools' }, { type: 'separator' }, { role: 'resetZoom' }, { role: 'zoomIn' }, { role: 'zoomOut' }] },
    {
      label: 'Help',
      submenu: [
        {
          label: 'About EdgeLake Desktop',
          click: () => {
            const win = getWindow();
            const options = { type: 'info' as const, title: 'EdgeLake Desktop', message: `EdgeLake Desktop ${app.getVersion()}`, detail: `EdgeLake node ${version}` };
            void (win ? dialog.showMessageBox(win, options) : dialog.showMessageBox(options));
          },
        },
      ],
    },
  ]);
  Menu.setApplicationMenu(menu);
}

export function installTray(iconDir: string, show: () => void): Tray {
  const tray = new Tray(nativeImage.createFromPath(join(iconDir, '32x32.png')));
  tray.setToolTip('EdgeLake Desktop');
  tray.setContextMenu(Menu.buildFromTemplate([{ label: 'Show', click: show }, { type: 'separator' }, { role: 'quit' }]));
  tray.on('click', show);
  return tray;
}
