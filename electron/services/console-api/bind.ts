// One binding function serves the contract over any transport: Electron's ipcMain (desktop) and the headless
// WebSocket bridge both call bindContract. Every request is validated against the channel's schema before it
// reaches a handler; a handler that throws becomes a ContractError value, never an unhandled rejection.
import { CHANNEL_NAMES, channels, type ChannelName, type ContractError, type Handlers } from '../../../shared/contract.js';

/** What a transport offers: register one async handler per channel name. */
export interface ContractTransport {
  handle(channel: ChannelName, listener: (request: unknown) => Promise<unknown>): void;
  removeHandler?(channel: ChannelName): void;
}

export type ContractOutcome = { ok: true; value: unknown } | { ok: false; error: ContractError };

/** Validates and runs one request; shared by every transport. */
export async function dispatch(handlers: Handlers, channel: string, request: unknown): Promise<ContractOutcome> {
  if (!(CHANNEL_NAMES as string[]).includes(channel)) {
    return { ok: false, error: { code: 'unknown-channel', message: `unknown channel '${channel}'` } };
  }
  const name = channel as ChannelName;
  const parsed = channels[name].request.safeParse(request ?? {});
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join('.') || '(request)'}: ${i.message}`);
    return { ok: false, error: { code: 'invalid-request', message: `invalid request for '${name}': ${issues.join('; ')}`, details: issues } };
  }
  try {
    const handler = handlers[name] as (req: unknown) => Promise<unknown>;
    return { ok: true, value: await handler(parsed.data) };
  } catch (err) {
    return { ok: false, error: { code: 'handler-failed', message: err instanceof Error ? err.message : String(err) } };
  }
}

/** Binds every channel of the contract; throws if a handler is missing (a programming error caught by tests). */
export function bindContract(handlers: Handlers, transport: ContractTransport): () => void {
  for (const name of CHANNEL_NAMES) {
    if (typeof handlers[name] !== 'function') throw new Error(`no handler for channel '${name}'`);
  }
  for (const name of CHANNEL_NAMES) {
    transport.handle(name, (request) => dispatch(handlers, name, request));
  }
  return () => {
    for (const name of CHANNEL_NAMES) transport.removeHandler?.(name);
  };
}
