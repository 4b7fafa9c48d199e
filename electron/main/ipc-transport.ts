// Binds the contract to ipcMain: each channel is registered under IPC_PREFIX + name; requests from any frame other
// than our own file:// page are refused (no remote content may reach the node).
import { IPC_PREFIX, type ChannelName } from '../../shared/contract.js';
import type { ContractTransport } from '../services/console-api/bind.js';

export interface IpcMainLike {
  handle(channel: string, listener: (event: { senderFrame?: { url: string } | null }, ...args: unknown[]) => unknown): void;
  removeHandler(channel: string): void;
}

export function isTrustedSender(url: string | undefined): boolean {
  return url !== undefined && url.startsWith('file://');
}

export function ipcMainTransport(ipcMain: IpcMainLike): ContractTransport {
  return {
    handle(channel: ChannelName, listener) {
      ipcMain.handle(IPC_PREFIX + channel, async (event, request) => {
        if (!isTrustedSender(event.senderFrame?.url)) {
          return { ok: false, error: { code: 'unauthorized', message: `requests from ${event.senderFrame?.url ?? 'an unknown frame'} are refused` } };
        }
        return listener(request);
      });
    },
    removeHandler(channel) {
      ipcMain.removeHandler(IPC_PREFIX + channel);
    },
  };
}
