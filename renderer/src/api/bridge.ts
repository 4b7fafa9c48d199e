// The console's way to the node: window.edgelake when the Electron preload exposed it, otherwise a WebSocket to
// the headless server (/ws) carrying the page's token. Both implement the same ConsoleBridge from the contract.
import type { ChannelName, ConsoleBridge, ContractError, PushEventName, PushEvents, RequestOf, ResponseOf } from '../../../shared/contract';

declare global {
  interface Window {
    edgelake?: ConsoleBridge;
  }
}

export class ContractCallError extends Error {
  constructor(readonly error: ContractError) {
    super(error.message);
  }
}

type Pending = { resolve: (v: unknown) => void; reject: (e: unknown) => void };

/** A WebSocket bridge that reconnects and queues requests until the socket is open. */
export function createSocketBridge(url: string, WebSocketImpl: typeof WebSocket = WebSocket): ConsoleBridge {
  let socket: WebSocket | undefined;
  let nextId = 1;
  const pending = new Map<number, Pending>();
  const listeners = new Map<string, Set<(payload: unknown) => void>>();
  let opened: Promise<WebSocket> | undefined;

  const connect = (): Promise<WebSocket> => {
    if (opened) return opened;
    opened = new Promise((resolve, reject) => {
      const ws = new WebSocketImpl(url);
      ws.onopen = () => {
        socket = ws;
        resolve(ws);
      };
      ws.onerror = () => reject(new Error(`cannot reach the node at ${url}`));
      ws.onclose = () => {
        socket = undefined;
        opened = undefined;
        for (const p of pending.values()) p.reject(new Error('connection to the node closed'));
        pending.clear();
        setTimeout(() => void connect().catch(() => undefined), 1000);
      };
      ws.onmessage = (ev: MessageEvent) => {
        const msg = JSON.parse(String(ev.data)) as { id?: number; ok?: boolean; value?: unknown; error?: ContractError; event?: string; payload?: unknown };
        if (msg.event) {
          for (const l of listeners.get(msg.event) ?? []) l(msg.payload);
          return;
        }
        const p = msg.id !== undefined ? pending.get(msg.id) : undefined;
        if (!p) return;
        pending.delete(msg.id!);
        if (msg.ok) p.resolve(msg.value);
        else p.reject(new ContractCallError(msg.error ?? { code: 'handler-failed', message: 'unknown error' }));
      };
    });
    return opened;
  };
  void connect().catch(() => undefined);

  return {
    async invoke<C extends ChannelName>(channel: C, request: RequestOf<C>): Promise<ResponseOf<C>> {
      const ws = socket ?? (await connect());
      const id = nextId++;
      return new Promise((resolve, reject) => {
        pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
        ws.send(JSON.stringify({ id, channel, request }));
      });
    },
    subscribe<E extends PushEventName>(event: E, listener: (payload: PushEvents[E]) => void): () => void {
      let set = listeners.get(event);
      if (!set) listeners.set(event, (set = new Set()));
      const l = listener as (payload: unknown) => void;
      set.add(l);
      return () => set.delete(l);
    },
  };
}

export function defaultBridge(): ConsoleBridge {
  if (window.edgelake) return window.edgelake;
  const token = new URLSearchParams(window.location.search).get('token');
  const proto = window.location.protocol === 'https:' ? 'wss:' : 'ws:';
  return createSocketBridge(`${proto}//${window.location.host}/ws${token ? `?token=${encodeURIComponent(token)}` : ''}`);
}
