// The peer layer's message router (issue 11): an incoming message goes to the one handler that claims its command
// word(s) and generic flag — ledger sync claims `event get_blockchain` and `file write` flag 2, large messages
// `file write` flag 3, the operator's query answers `sql` and `info table`, job replies go to the job registry.
// Two handlers may not claim the same message: registering an overlapping route throws (a programming error found
// at start, not a message answered twice). What no handler claims falls to the router's fallback (the service runs
// it as a command); the fallback may decline (an `event` we do not serve, a stray `file write`), and a declined
// message is dropped and counted, never answered with EdgeLake's "not recognized" echo.
import type { Block } from './codec.js';
import type { IncomingMessage } from './transport.js';

export type MessageHandler = (message: IncomingMessage, first: Block) => Promise<void>;

export interface Route {
  /** The command's leading words (`event get_blockchain`, `file write`, `sql`), matched at a word boundary. */
  words: string;
  /** The header's generic flag this route takes; undefined = any flag. */
  flag?: number | undefined;
  /** Who claims it, for the overlap error and the counters. */
  owner: string;
}

/** The command's words as EdgeLake separates them (space or TAB). */
function startsWithWords(command: string, words: string): boolean {
  return command === words || (command.startsWith(words) && /[ \t]/.test(command[words.length] ?? ''));
}

function overlaps(a: Route, b: Route): boolean {
  const prefix = startsWithWords(a.words, b.words) || startsWithWords(b.words, a.words);
  return prefix && (a.flag === undefined || b.flag === undefined || a.flag === b.flag);
}

export class MessageRouter {
  private readonly routes: { route: Route; handler: MessageHandler }[] = [];
  /** Messages dropped, by reason (`job reply for a job that is gone`, `event we do not serve: ...`). */
  readonly dropped = new Map<string, number>();

  /** Claims a kind of message; returns the function that releases the claim. Throws when another owner claims it. */
  on(route: Route, handler: MessageHandler): () => void {
    const clash = this.routes.find((r) => overlaps(r.route, route));
    if (clash) {
      const flag = (r: Route) => (r.flag === undefined ? 'any flag' : `flag ${r.flag}`);
      throw new Error(`peer router: '${route.words}' (${flag(route)}) of ${route.owner} is already claimed by ${clash.route.owner} ('${clash.route.words}', ${flag(clash.route)})`);
    }
    const entry = { route, handler };
    this.routes.push(entry);
    return () => {
      const at = this.routes.indexOf(entry);
      if (at !== -1) this.routes.splice(at, 1);
    };
  }

  /** The handler for a message's first block (the longest matching words), or undefined. */
  match(first: Block): { route: Route; handler: MessageHandler } | undefined {
    let best: { route: Route; handler: MessageHandler } | undefined;
    for (const entry of this.routes) {
      const { words, flag } = entry.route;
      if (!startsWithWords(first.command, words)) continue;
      if (flag !== undefined && flag !== first.header.genericFlag) continue;
      if (!best || words.length > best.route.words.length) best = entry;
    }
    return best;
  }

  drop(reason: string): void {
    this.dropped.set(reason, (this.dropped.get(reason) ?? 0) + 1);
  }

  /** Total messages dropped. */
  get droppedCount(): number {
    let n = 0;
    for (const v of this.dropped.values()) n += v;
    return n;
  }
}
