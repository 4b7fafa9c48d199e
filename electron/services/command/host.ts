// What the language's own commands (if, else, print, process, goto ...) and scripts need from the interpreter: a
// narrow face, so that language-commands.ts and script.ts do not import the interpreter that runs them (no import
// circle). The interpreter implements it; language.ts wires the two together.
import type { Dictionary } from './dictionary.js';
import type { CommandTable } from './table.js';
import type { Token } from './tokenizer.js';
import type { CommandResult, CommandSource } from './types.js';

export interface InterpreterIo {
  /** Text the node prints outside a reply (script output). */
  print(text: string): void;
  readFile?: ((path: string) => Promise<string>) | undefined;
  /** An `echo` message: true when the node queued it (set echo queue on), false to print it. */
  echo?(text: string): boolean;
  /** Every command line run, with its outcome (the event log, trace level). */
  executed?(text: string, source: CommandSource, result: CommandResult): void;
  /** A line of a script finished (the console shows a script's progress line by line). */
  scriptLine?(file: string, line: number, command: string, result: CommandResult): void;
  /** With `set exception traceback on`, an internal failure's detail carries its stack. */
  traceback?(): boolean;
}

export interface LanguageHost {
  readonly table: CommandTable;
  readonly dictionary: Dictionary;
  readonly io: InterpreterIo;
  /** The outcome of the last `if`, for a following `else`. */
  lastIf: boolean | undefined;
  execute(text: string, source: CommandSource): Promise<CommandResult>;
  executeTokens(tokens: Token[], source: CommandSource): Promise<CommandResult>;
  /** Stores a variable (`$x` in the environment, `x[key]` in a JSON object); '' unsets it. */
  store(name: string, text: string): CommandResult;
  /** A word as an argument: a reference resolved, undefined references as ''. */
  resolveWord(token: Token): string;
}
