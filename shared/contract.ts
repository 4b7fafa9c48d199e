// The typed contract between the console and the node: every channel (name, request schema, response type) and
// every push event, declared once. electron/main binds it to ipcMain, the preload exposes it through
// contextBridge, the headless bridge serves it over WebSocket, and the renderer calls it through one typed
// client. Requests are validated at the boundary with these schemas: the renderer is untrusted input.
import { z } from 'zod';
import { CHANNEL_NAME_LIST, IPC_EVENT_CHANNEL, IPC_PREFIX, PUSH_EVENT_NAME_LIST } from './channel-names.js';
import type { ArchiveListing, CommandReply, ErrorFile, ErrorFileContent, FileOutcome, NodeInfo, OperatorSample, NetworkView, OperatorStats, PeerCheck, PolicyCheck, PolicyList, ProcessInfo, ReingestPlan, ReingestResult, ScriptLine, TopologyCluster, TsdLineage, TsdPage } from './types.js';

export { IPC_EVENT_CHANNEL, IPC_PREFIX };

/** Declares a channel: the schema validates requests, the phantom `response` carries the reply type. */
function channel<Req extends z.ZodType, Res>(request: Req): { request: Req; response: Res } {
  return { request, response: undefined as unknown as Res };
}

const tsdQuery = z
  .object({
    dbms: z.string().max(100).optional(),
    table: z.string().max(100).optional(),
    /** Part of the source or hash (the file name's segments). */
    search: z.string().max(200).optional(),
    /** UTC `YYYY-MM-DD[ HH:MM[:SS]]` bounds on the recording time. */
    from: z.string().max(40).optional(),
    to: z.string().max(40).optional(),
    status: z.string().max(100).optional(),
    sort: z.enum(['id', 'dbms', 'table', 'source', 'date', 'rows']).default('id'),
    direction: z.enum(['asc', 'desc']).default('desc'),
    page: z.number().int().min(0).max(1_000_000).default(0),
    pageSize: z.number().int().min(1).max(500).default(100),
  })
  .strict();
const tsdLineage = z.object({ id: z.number().int().min(1) }).strict();
/** A file of the error directory: a plain name, never a path. */
const errorFileName = z.string().min(1).max(255).regex(/^[^/\\]+$/, 'a file name, not a path').refine((n) => n !== '.' && n !== '..', 'a file name');
const errorFile = z.object({ file: errorFileName }).strict();
/** A place in the archive: '', 'YY', 'YY/MM', 'YY/MM/DD' or 'YY/MM/DD/<file>'. */
const archivePath = z.string().max(300).regex(/^(\d{2}(\/\d{2}(\/\d{2}(\/[^/\\]+)?)?)?)?$/, 'YY/MM/DD[/file] inside the archive');
const archiveDir = z.object({ path: archivePath }).strict();
const address = z.string().regex(/^[A-Za-z0-9.-]{1,253}:\d{1,5}$/, 'ip:port');
const peerAddress = z.object({ address }).strict();
const peerCommand = z.object({ address, command: z.string().min(1).max(1800) }).strict();
const policyText = z.object({ text: z.string().min(1).max(1024 * 1024) }).strict();
const policyId = z.object({ id: z.string().min(1).max(200) }).strict();
const errorReplay = z.object({ file: errorFileName, content: z.string().max(64 * 1024 * 1024).optional() }).strict();

export const channels = {
  /** Runs one command of the EdgeLake command language, as typed in the Console panel. */
  'node:execute': channel<z.ZodObject<{ command: z.ZodString }>, CommandReply>(
    z.object({ command: z.string().min(1).max(1_000_000) }).strict(),
  ),
  /** The `get processes` registry, structured. */
  'node:processes': channel<z.ZodObject<Record<string, never>>, ProcessInfo[]>(z.object({}).strict()),
  /** Who this node is (name, home, version, console URL). */
  'node:info': channel<z.ZodObject<Record<string, never>>, NodeInfo>(z.object({}).strict()),
  /** Starts a process by name with its default start command; the reply is the command's. */
  'process:start': channel<z.ZodObject<{ name: z.ZodString }>, CommandReply>(
    z.object({ name: z.string().min(1).max(100) }).strict(),
  ),
  /** Stops a process by name. */
  'process:stop': channel<z.ZodObject<{ name: z.ZodString }>, CommandReply>(
    z.object({ name: z.string().min(1).max(100) }).strict(),
  ),
  /** A page of tsd_info, filtered and sorted by the database (the TSD Info panel). */
  'tsd:query': channel<typeof tsdQuery, TsdPage>(tsdQuery),
  /** One recorded file's lineage: name segments, rows, archive path. */
  'tsd:lineage': channel<typeof tsdLineage, TsdLineage>(tsdLineage),
  /** The files of the error directory with their reasons (the Ingestion Errors panel). */
  'errors:list': channel<z.ZodObject<Record<string, never>>, ErrorFile[]>(z.object({}).strict()),
  /** A failed file's content (the first 256 KB). */
  'errors:read': channel<typeof errorFile, ErrorFileContent>(errorFile),
  /** Fix and replay: the (edited) content goes back to the watch directory under its original name. */
  'errors:replay': channel<typeof errorReplay, { replayedAs: string }>(errorReplay),
  /** Deletes a failed file and its reason. */
  'errors:delete': channel<typeof errorFile, { deleted: string }>(errorFile),
  /** One level of the archive tree. */
  'archive:list': channel<typeof archiveDir, ArchiveListing>(archiveDir),
  /** An archived file's content, decompressed (the first 256 KB). */
  'archive:preview': channel<typeof archiveDir, ErrorFileContent>(archiveDir),
  /** What re-ingesting an archived file would do: the rows it adds, or that it is a duplicate. */
  'archive:reingest-plan': channel<typeof archiveDir, ReingestPlan>(archiveDir),
  /** Copies an archived file back into the watch directory under its identity (hash kept); a recorded hash is refused. */
  'archive:reingest': channel<typeof archiveDir, ReingestResult>(archiveDir),
  /** Files, rows and errors per second over the last hour. */
  'operator:stats': channel<z.ZodObject<Record<string, never>>, OperatorStats>(z.object({}).strict()),
  /** The ledger's policies in ledger order, and the lines that are not policies. */
  'policies:list': channel<z.ZodObject<Record<string, never>>, PolicyList>(z.object({}).strict()),
  /** Checks a policy as `blockchain insert` would (ids, per-type checks, references), without inserting it. */
  'policies:check': channel<typeof policyText, PolicyCheck>(policyText),
  /** Inserts a policy into the local ledger; the reply says what was stored or why it was refused. */
  'policies:insert': channel<typeof policyText, PolicyCheck>(policyText),
  /** Removes a policy from the local ledger. */
  'policies:delete': channel<typeof policyId, { deleted: string }>(policyId),
  /** Clusters with their operators (member ids, status) and the tables they host, from the ledger. */
  'topology:get': channel<z.ZodObject<Record<string, never>>, TopologyCluster[]>(z.object({}).strict()),
  /** This node's TCP server and the peers the ledger knows. */
  'network:peers': channel<z.ZodObject<Record<string, never>>, NetworkView>(z.object({}).strict()),
  /** A round trip to a peer (get status over the peer protocol). */
  'network:check': channel<typeof peerAddress, PeerCheck>(peerAddress),
  /** Runs a command on a peer (run client) and returns its reply. */
  'network:send': channel<typeof peerCommand, CommandReply>(peerCommand),
} as const;

export type Channels = typeof channels;
export type ChannelName = keyof Channels;
/** What a caller sends (defaults may be omitted). */
export type RequestOf<C extends ChannelName> = z.input<Channels[C]['request']>;
/** What a handler receives: validated, defaults applied. */
export type ParsedRequestOf<C extends ChannelName> = z.output<Channels[C]['request']>;
export type ResponseOf<C extends ChannelName> = Channels[C]['response'];
export const CHANNEL_NAMES: readonly ChannelName[] = CHANNEL_NAME_LIST;
// Compile-time proof that channel-names.ts lists exactly the declared channels.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : never) : never;
const _channelsMatch: Same<(typeof CHANNEL_NAME_LIST)[number], ChannelName> = true;
void _channelsMatch;

/** Push events from the node to the console: name -> payload. */
export interface PushEvents {
  /** The process registry changed (a service started, stopped or changed its details). */
  'processes:changed': ProcessInfo[];
  /** Text the node printed on its own (not as a reply), e.g. a script's output or a service's notice. */
  'node:output': { text: string };
  /** Every second while the operator runs: what it did in that second. */
  'operator:sample': OperatorSample;
  /** Files the operator finished (ingested or failed), gathered over a quarter second. */
  'operator:files': FileOutcome[];
  /** The ledger changed (an insert, a delete, a reload, the file edited or synced). */
  'policies:changed': { count: number };
  /** A line of a running script (process file.al, a deployment script) finished: its progress, line by line. */
  'script:line': ScriptLine;
}
export type PushEventName = keyof PushEvents;
export const PUSH_EVENT_NAMES: readonly PushEventName[] = PUSH_EVENT_NAME_LIST;
const _eventsMatch: Same<(typeof PUSH_EVENT_NAME_LIST)[number], PushEventName> = true;
void _eventsMatch;

/** Errors cross the boundary as values from one table. */
export interface ContractError {
  code: 'invalid-request' | 'unknown-channel' | 'handler-failed' | 'unauthorized';
  message: string;
  details?: unknown;
}

export type Handlers = { [C in ChannelName]: (request: ParsedRequestOf<C>) => Promise<ResponseOf<C>> };

/** What the preload exposes on window.edgelake and what the headless client implements: one invoke, one subscribe. */
export interface ConsoleBridge {
  invoke<C extends ChannelName>(channel: C, request: RequestOf<C>): Promise<ResponseOf<C>>;
  subscribe<E extends PushEventName>(event: E, listener: (payload: PushEvents[E]) => void): () => void;
}
