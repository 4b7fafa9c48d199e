// Peer protocol transport (peer-protocol.md §3): one message per TCP connection, blocks of 2048 bytes numbered
// 1..n, the receiver never writes back (a reply is a new connection to the address in the header). Unlike
// EdgeLake, a connection that sends nothing for a while is closed (EdgeLake blocks a worker forever), a block that
// does not decode ends its connection without touching the node, and the number of connections is bounded. At the
// bound a new connection takes the place of the one heard from least recently (issue 10: 400 stalled connections
// held the listener full for its whole idle time, and no peer's message got in). A sender writing its message is
// heard from all the time, so it goes last; a burst of connections can only push out quieter ones.
import { createConnection, createServer, type Server, type Socket } from 'node:net';
import { BLOCK_SIZE, CodecError, decodeBlock, type Block } from './codec.js';

export interface IncomingMessage {
  blocks: Block[];
  /** The IP the connection came from (replies to `0.0.0.0` go there). */
  remoteIp: string;
}

export interface ListenerOptions {
  /** A connection idle this long is closed. */
  idleMs?: number;
  maxConnections?: number;
  /** A bad block or a broken connection (logged by the caller; the listener goes on). */
  onProblem?(reason: string, remote: string): void;
}

interface Open {
  lastHeard: number;
  drop(reason: string): void;
}

export class PeerListener {
  private server: Server | undefined;
  private readonly sockets = new Map<Socket, Open>();
  /** Messages received and connections refused, for `get connections` / the console. */
  readonly stats = { messages: 0, rejected: 0 };

  constructor(
    private readonly onMessage: (message: IncomingMessage) => void,
    private readonly options: ListenerOptions = {},
  ) {}

  get connections(): number {
    return this.sockets.size;
  }

  async listen(host: string | undefined, port: number): Promise<void> {
    const server = createServer((socket) => this.accept(socket));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen({ host, port }, () => {
        server.off('error', reject);
        resolve();
      });
    });
    server.on('error', () => undefined);
    this.server = server;
  }

  async close(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    for (const s of this.sockets.keys()) s.destroy();
    this.sockets.clear();
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** Closes the connection heard from least recently, to make room for a new one. */
  private makeRoom(): void {
    let quietest: Open | undefined;
    for (const open of this.sockets.values()) if (!quietest || open.lastHeard < quietest.lastHeard) quietest = open;
    if (!quietest) return;
    const quiet = ((Date.now() - quietest.lastHeard) / 1000).toFixed(1);
    quietest.drop(`closed to make room for a new connection (${this.sockets.size} open; this one quiet for ${quiet} s)`);
  }

  private accept(socket: Socket): void {
    if (this.sockets.size >= (this.options.maxConnections ?? 256)) this.makeRoom();
    const remote = `${socket.remoteAddress ?? '?'}:${socket.remotePort ?? '?'}`;
    const remoteIp = (socket.remoteAddress ?? '').replace(/^::ffff:/, '');
    const blocks: Block[] = [];
    let pending: Buffer = Buffer.alloc(0);
    let done = false;
    const finish = (problem?: string) => {
      if (done) return;
      done = true;
      if (problem) {
        this.stats.rejected++;
        this.options.onProblem?.(problem, remote);
      }
      this.sockets.delete(socket); // its place is free at once, not when the close comes
      socket.destroy();
    };
    const open: Open = { lastHeard: Date.now(), drop: finish };
    this.sockets.set(socket, open);
    socket.setTimeout(this.options.idleMs ?? 30_000, () => finish(`no complete message within ${(this.options.idleMs ?? 30_000) / 1000} s (${blocks.length} blocks, ${pending.length} bytes)`));
    socket.on('error', () => finish());
    socket.on('close', () => {
      this.sockets.delete(socket);
      if (!done && (pending.length > 0 || blocks.length > 0)) finish(`peer closed mid-message (${pending.length}/${BLOCK_SIZE} bytes of block ${blocks.length + 1})`);
    });
    socket.on('data', (chunk: Buffer) => {
      if (done) return;
      open.lastHeard = Date.now();
      pending = pending.length === 0 ? chunk : Buffer.concat([pending, chunk]);
      while (pending.length >= BLOCK_SIZE && !done) {
        const raw = pending.subarray(0, BLOCK_SIZE);
        pending = pending.subarray(BLOCK_SIZE);
        let block: Block;
        try {
          block = decodeBlock(Buffer.from(raw));
        } catch (err) {
          finish(`bad block ${blocks.length + 1}: ${err instanceof CodecError ? err.message : String(err)}`);
          return;
        }
        if (block.header.blockCounter !== blocks.length + 1) {
          finish(`block counter ${block.header.blockCounter} where ${blocks.length + 1} was expected`);
          return;
        }
        blocks.push(block);
        // The message ends with the last flag, or with a block that carries an error (EdgeLake stops there too).
        if (block.header.last || block.header.error !== 0) {
          done = true;
          this.sockets.delete(socket);
          socket.destroy();
          this.stats.messages++;
          try {
            this.onMessage({ blocks, remoteIp });
          } catch (err) {
            this.options.onProblem?.(`handling the message failed: ${(err as Error).message}`, remote);
          }
          return;
        }
        if (blocks.length > 100_000) {
          finish('message longer than 100,000 blocks');
          return;
        }
      }
    });
  }
}

/** Sends one message (its blocks) on a new connection and closes it; rejects with a reason naming the peer. */
export function sendMessage(ip: string, port: number, blocks: readonly Buffer[], timeoutMs = 6000): Promise<void> {
  if (ip === '0.0.0.0' || !ip) return Promise.reject(new Error(`cannot send to '${ip}:${port}'`));
  return new Promise((resolve, reject) => {
    const socket = createConnection({ host: ip, port, noDelay: true });
    let settled = false;
    const fail = (why: string) => {
      if (settled) return;
      settled = true;
      socket.destroy();
      reject(new Error(`${ip}:${port}: ${why}`));
    };
    socket.setTimeout(timeoutMs, () => fail(`no connection within ${timeoutMs / 1000} s`));
    socket.once('error', (err: NodeJS.ErrnoException) => fail(err.code === 'ECONNREFUSED' ? 'connection refused (no TCP server at that address)' : err.message));
    socket.once('connect', () => {
      socket.end(Buffer.concat(blocks), () => {
        if (settled) return;
        settled = true;
        resolve();
      });
    });
  });
}
