import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { defaultBridge } from './api/bridge';
import { connectPushEvents, createClient } from './api/client';
import { App } from './app/App';
import { ClientContext } from './app/ClientContext';
import './styles.css';

const client = createClient(defaultBridge());
const queryClient = new QueryClient({ defaultOptions: { queries: { staleTime: Infinity, retry: 2, refetchOnWindowFocus: false } } });
connectPushEvents(client, queryClient);

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <ClientContext.Provider value={client}>
      <QueryClientProvider client={queryClient}>
        <App />
      </QueryClientProvider>
    </ClientContext.Provider>
  </StrictMode>,
);
