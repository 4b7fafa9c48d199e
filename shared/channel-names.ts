// The contract's names without its schemas: the sandboxed preload imports only this (no zod in the page's
// preload bundle). contract.ts checks at compile time that these lists match its declarations.
export const CHANNEL_NAME_LIST = ['node:execute', 'node:processes', 'node:info', 'process:start', 'process:stop', 'tsd:query', 'tsd:lineage', 'errors:list', 'errors:read', 'errors:replay', 'errors:delete', 'archive:list', 'archive:preview', 'archive:reingest-plan', 'archive:reingest', 'operator:stats', 'policies:list', 'policies:check', 'policies:insert', 'policies:delete', 'topology:get', 'network:peers', 'network:check', 'network:send'] as const;
export const PUSH_EVENT_NAME_LIST = ['processes:changed', 'node:output', 'operator:sample', 'operator:files', 'policies:changed', 'script:line'] as const;
/** Prefix for IPC channel names on ipcMain / ipcRenderer, so the contract never collides with Electron's own. */
export const IPC_PREFIX = 'edgelake:';
export const IPC_EVENT_CHANNEL = 'edgelake:event';
