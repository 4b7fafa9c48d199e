// Reads the golden transcripts captured from a real EdgeLake node (fixtures/edgelake-1.4.2604, a copy of the spec's
// transcripts and vectors with a note on their origin in fixtures/README.md, so a lone clone passes its tests):
// CLI sections (command typed, exact output before the prompt) and REST sections (raw request, raw response).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export const SPEC_DIR = new URL('./fixtures/edgelake-1.4.2604/', import.meta.url).pathname;

export interface CliSection {
  node: string;
  command: string;
  /** The bytes the node printed for the command, without its prompt (`\rEL ... > `). */
  output: string;
}

export interface RestSection {
  node: string;
  request: string;
  /** Status line and headers, as text. */
  head: string;
  body: string;
}

export function transcript(name: string): string {
  return readFileSync(join(SPEC_DIR, 'transcripts', name), 'latin1');
}

function sections(text: string): string[] {
  return text.split(/^(?======)/m).filter((s) => s.startsWith('====='));
}

export function cliSections(name: string): CliSection[] {
  return sections(transcript(name))
    .filter((s) => s.startsWith('===== CLI'))
    .map((s) => {
      const node = /on node (\w+)/.exec(s)![1]!;
      const [before, after] = s.split('\n----- output\n') as [string, string];
      const command = before
        .split('\n')
        .filter((l) => l.startsWith('> '))
        .map((l) => l.slice(2))
        .join('\n');
      const promptAt = after.lastIndexOf('\rEL ');
      return { node, command, output: after.slice(0, promptAt) };
    });
}

export function restSections(name: string): RestSection[] {
  return sections(transcript(name))
    .filter((s) => s.startsWith('===== REST'))
    .map((s) => {
      const node = /on node (\w+)/.exec(s)![1]!;
      const request = s.split('>>> request\n')[1]!.split('\n<<< response')[0]!;
      const raw = s.split(/<<< response[^\n]*\n/)[1]!;
      const bytes = Number(/<<< end \(body bytes: (\d+)\)/.exec(raw)![1]);
      const split = raw.indexOf('\n\n');
      // The capture adds a newline before `<<< end` when the body has none: cut by the recorded byte count.
      return { node, request, head: raw.slice(0, split), body: raw.slice(split + 2, split + 2 + bytes) };
    });
}
