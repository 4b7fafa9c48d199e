// The bridge the preload exposes as window.edgelake: exactly the contract, one generic invoke and one subscribe.
// Built from an ipcRenderer-like object so it is tested without Electron.
import { CHANNEL_NAME_LIST, IPC_EVENT_CHANNEL, IPC_PREFIX, PUSH_EVENT_NAME_LIST } from '../../shared/channel-names.js';
import type { ChannelName, ConsoleBridge, ContractError, PushEventName } from '../../shared/contract.js';

export interface IpcRendererLike {
  invoke(channel: string, ...args: unknown[]): Promise<unknown>;
  on(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
  removeListener(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
}

export class BridgeError extends Error {
  constructor(readonly error: ContractError) {
    super(error.message);
    this.name = 'BridgeError';
  }
}

export function createPreloadBridge(ipc: IpcRendererLike): ConsoleBridge {
  return {
    async invoke(channel, request) {
      if (!(CHANNEL_NAME_LIST as readonly string[]).includes(channel)) {
        throw new BridgeError({ code: 'unknown-channel', message: `unknown channel '${String(channel)}'` });
      }
      const outcome = (await ipc.invoke(IPC_PREFIX + channel, request)) as { ok: boolean; value?: unknown; error?: ContractError };
      if (!outcome?.ok) throw new BridgeError(outcome?.error ?? { code: 'handler-failed', message: 'no reply' });
      return outcome.value as never;
    },
    subscribe(event, listener) {
      if (!(PUSH_EVENT_NAME_LIST as readonly string[]).includes(event)) throw new BridgeError({ code: 'unknown-channel', message: `unknown event '${String(event)}'` });
      const wrapped = (_e: unknown, name: unknown, payload: unknown) => {
        if (name === event) (listener as (p: unknown) => void)(payload);
      };
      ipc.on(IPC_EVENT_CHANNEL, wrapped);
      return () => void ipc.removeListener(IPC_EVENT_CHANNEL, wrapped);
    },
  };
}

export type { ChannelName, PushEventName };
