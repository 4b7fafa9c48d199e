// The typed client and the react-query option factories. Push events update the query cache in ONE place
// (connectPushEvents), so panels never poll.
import type { QueryClient } from '@tanstack/react-query';
import type { ChannelName, ConsoleBridge, RequestOf, ResponseOf } from '../../../shared/contract';

export interface Client {
  call<C extends ChannelName>(channel: C, request: RequestOf<C>): Promise<ResponseOf<C>>;
  bridge: ConsoleBridge;
}

export function createClient(bridge: ConsoleBridge): Client {
  return { bridge, call: (channel, request) => bridge.invoke(channel, request) };
}

export const queryKeys = {
  processes: ['node:processes'] as const,
  info: ['node:info'] as const,
};

export const queries = {
  processes: (client: Client) => ({ queryKey: queryKeys.processes, queryFn: () => client.call('node:processes', {}) }),
  info: (client: Client) => ({ queryKey: queryKeys.info, queryFn: () => client.call('node:info', {}) }),
};

/** Wires push events to the cache; returns the unsubscribe function. */
export function connectPushEvents(client: Client, queryClient: QueryClient): () => void {
  const offs = [
    client.bridge.subscribe('processes:changed', (list) => {
      queryClient.setQueryData(queryKeys.processes, list);
      void queryClient.invalidateQueries({ queryKey: queryKeys.info });
    }),
    client.bridge.subscribe('policies:changed', () => {
      void queryClient.invalidateQueries({ queryKey: ['policies:list'] });
      void queryClient.invalidateQueries({ queryKey: ['topology:get'] });
    }),
  ];
  return () => offs.forEach((off) => off());
}
