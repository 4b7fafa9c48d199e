// The peer protocol's text forms (peer-protocol.md §4.1, §6.3): a command as it travels (words with spaces joined
// by TABs), a received command back as our command text, and a peer's reply as EdgeLake's console prints it.
import { structDisplay } from '../command/format/struct-print.js';
import type { Token } from '../command/tokenizer.js';
import type { Block } from './codec.js';
import type { ReplyForm } from './jobs.js';

/** The command as it travels (§4.1): words with spaces are sent with TABs; JSON structures as they are. */
export function wireCommand(tokens: readonly Token[], resolve: (word: string) => string | undefined): string {
  return tokens
    .map((t) => {
      if (!t.quoted && /^[{[]/.test(t.text)) return t.text;
      const value = !t.quoted && t.text.startsWith('!') ? (resolve(t.text) ?? t.text) : t.text;
      return value.replace(/ /g, '\t');
    })
    .join(' ');
}

/** A received command back as our command text: TABs inside a word become spaces (quoted when needed). */
export function localCommand(wire: string): string {
  // `blockchain push<TAB>ignore {...}` (a node re-pushing its local policies after a merge): the TAB separates words.
  wire = wire.replace(/^blockchain push\tignore /, 'blockchain push ignore ');
  return wire
    .split(' ')
    .map((w) => (w.includes('\t') ? `"${w.replace(/\t/g, ' ').replace(/"/g, '\\"')}"` : w))
    .join(' ');
}

export function replyForm(word: string, block: Block): ReplyForm {
  if (word === 'echo') return block.data.length > 0 ? 'echo-data' : 'echo-command';
  return block.header.genericFlag === 2 ? 'json' : 'text';
}

/** A peer's reply as EdgeLake's console prints it (observed on a real node receiving our replies). */
export function printedReply(from: string, text: string, form: ReplyForm): string {
  switch (form) {
    case 'json': {
      let shown = text;
      try {
        shown = structDisplay(JSON.parse(text) as unknown);
      } catch {
        // not JSON after all: as sent
      }
      return `[From Node ${from}] \r\n\r\n${shown}`;
    }
    case 'echo-data':
      return `[From Node ${from}]  \r\n"${text}"`;
    case 'echo-command':
      return `[From Node ${from}] ${text} `;
    default:
      // EdgeLake's struct_print: one line in quotes (cut in pieces of 64), several lines as they are, JSON text as a structure.
      return `[From Node ${from}] \r\n\r\n${structDisplay(text)}`;
  }
}

