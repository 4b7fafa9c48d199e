// The command-line tokenizer (commands.md §2, EdgeLake generic/utils_data.py). Words keep their 1-based position
// so errors can name the token and where it is. A malformed line is a CommandError (code 2), never an exception
// that escapes the interpreter.
import { CommandError, Status } from '../core/status.js';

export interface Token {
  /** The word; double quotes removed, single quotes/backticks/brackets/parentheses/braces kept. */
  text: string;
  /** 1-based character position in the command line. */
  pos: number;
  /** The word was written in double quotes (so `and`, `where`, `=` inside it are plain text). */
  quoted: boolean;
}

const OPERATOR_WORDS = ['==', '!=', '<=', '>=', '=', '+', '<', '>'];
const CLOSERS: Record<string, string> = { '(': ')', '{': '}', '[': ']' };

function structureError(detail: string): CommandError {
  return new CommandError(Status.COMMAND_STRUCT, detail);
}

/** Index just past the balanced group opened at `start` (quotes inside are respected). */
function skipGroup(line: string, start: number): number {
  const stack: string[] = [CLOSERS[line[start]!]!];
  let i = start + 1;
  while (i < line.length && stack.length > 0) {
    const ch = line[i]!;
    if (ch === '"' || ch === "'") {
      const end = line.indexOf(ch, i + 1);
      if (end === -1) throw structureError(`Unterminated quote starting at position ${i + 1}`);
      i = end + 1;
      continue;
    }
    if (CLOSERS[ch]) stack.push(CLOSERS[ch]!);
    else if (ch === stack[stack.length - 1]) stack.pop();
    i++;
  }
  if (stack.length > 0) {
    const what = line[start] === '(' ? 'parenthesis' : line[start] === '{' ? 'brace' : 'bracket';
    throw structureError(`Missing closing ${what} for '${line[start]}' at position ${start + 1}`);
  }
  return i;
}

/** Splits a line into words. Stops at `#` starting a word (comment). */
export function tokenize(line: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < line.length) {
    const ch = line[i]!;
    if (ch === ' ' || ch === '\t' || ch === '\n' || ch === '\r') {
      i++;
      continue;
    }
    const pos = i + 1;
    if (ch === '#') break;
    if (ch === '"') {
      const end = line.indexOf('"', i + 1);
      if (end === -1) throw structureError(`Unterminated quote starting at position ${pos}`);
      tokens.push({ text: line.slice(i + 1, end), pos, quoted: true });
      i = end + 1;
      continue;
    }
    if (ch === "'" || ch === '`') {
      const end = line.indexOf(ch, i + 1);
      if (end === -1) throw structureError(`Unterminated quote starting at position ${pos}`);
      tokens.push({ text: line.slice(i, end + 1), pos, quoted: false });
      i = end + 1;
      continue;
    }
    const op = OPERATOR_WORDS.find((o) => line.startsWith(o, i));
    if (op) {
      tokens.push({ text: op, pos, quoted: false });
      i += op.length;
      continue;
    }
    if (ch === '(' || ch === '{' || ch === '[') {
      let end = skipGroup(line, i);
      // `[a][b]` and `[a][b]:[c][d]` stay one word.
      while (ch === '[' && (line[end] === '[' || (line[end] === ':' && line[end + 1] === '['))) {
        end = skipGroup(line, line[end] === ':' ? end + 1 : end);
      }
      // A group glued to following text (`(a)b`) continues the word.
      while (end < line.length && !/[\s=+<>]/.test(line[end]!)) end++;
      tokens.push({ text: line.slice(i, end), pos, quoted: false });
      i = end;
      continue;
    }
    let end = i;
    while (end < line.length && !/[\s]/.test(line[end]!) && !(line[end] === '=' || line[end] === '+')) {
      if ((line[end] === '<' || line[end] === '>') && end > i && line[end - 1] !== '-') break;
      if (line[end] === '!' && line[end + 1] === '=' && end > i) break;
      // A quote inside a word keeps its quoted text in the word (`!version.split(" ")[0]`, as EdgeLake reads it).
      if ((line[end] === '"' || line[end] === "'") && end > i) {
        const close = line.indexOf(line[end]!, end + 1);
        if (close !== -1) {
          end = close + 1;
          continue;
        }
      }
      end++;
    }
    if (end === i) end = i + 1;
    tokens.push({ text: line.slice(i, end), pos, quoted: false });
    i = end;
  }
  return tokens;
}

/** Cuts a line at every `&` outside quotes and brackets: each piece is a command of its own. */
export function splitCommands(line: string): string[] {
  const pieces: string[] = [];
  let start = 0;
  let depth = 0;
  let quote: string | undefined;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (quote) {
      if (ch === quote) quote = undefined;
    } else if (ch === '"' || ch === "'") quote = ch;
    else if (ch === '(' || ch === '{' || ch === '[') depth++;
    else if ((ch === ')' || ch === '}' || ch === ']') && depth > 0) depth--;
    else if (ch === '#' && (i === 0 || /\s/.test(line[i - 1]!))) break;
    else if (ch === '&' && depth === 0) {
      pieces.push(line.slice(start, i));
      start = i + 1;
    }
  }
  pieces.push(line.slice(start));
  return pieces.map((p) => p.trim()).filter((p) => p.length > 0);
}
