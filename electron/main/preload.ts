// Sandboxed preload: exposes the contract (and nothing else) to the console as window.edgelake.
import { contextBridge, ipcRenderer } from 'electron';
import { createPreloadBridge } from './preload-bridge.js';

const bridge = createPreloadBridge(ipcRenderer);
contextBridge.exposeInMainWorld('edgelake', { invoke: bridge.invoke, subscribe: bridge.subscribe });
