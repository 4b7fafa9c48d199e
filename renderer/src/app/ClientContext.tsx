import { createContext, useContext } from 'react';
import type { Client } from '../api/client';

export const ClientContext = createContext<Client | undefined>(undefined);

export function useClient(): Client {
  const client = useContext(ClientContext);
  if (!client) throw new Error('ClientContext missing');
  return client;
}
