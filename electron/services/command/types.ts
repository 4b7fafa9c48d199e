// The command table's vocabulary: what a command declares (key, usage, help, where-clause options, REST
// method) and what its handler receives and returns. Handlers return data; rendering to EdgeLake's CLI text,
// REST bodies or the console's tree happens in one place (render.ts), so every entry point shares the handlers.
import type { CommandOutput } from '../../../shared/types.js';
import type { Token } from './tokenizer.js';

/** Where a command came from; decides rendering (CLI framing vs REST raw text) and permissions. */
export type CommandSource = 'cli' | 'script' | 'rest' | 'peer' | 'scheduler' | 'console';

/** Value types of `where` options (commands.md §5). */
export type OptionType =
  | 'str'
  | 'int'
  | 'bool'
  | 'int.time' // `<n> <unit>` -> seconds
  | 'int.storage' // `<n>[KB|MB|GB|TB]` -> bytes
  | 'ip.port'
  | 'dir'
  | 'date'
  | 'format' // json | table
  | 'nested'; // parenthesised sub-clause

export interface OptionSpec {
  type: OptionType;
  required?: boolean;
  /** The key may be given several times (e.g. `dest`, `topic`, `file_type`). Default: false (unique). */
  repeat?: boolean;
  /** Default when absent (already typed). */
  default?: unknown;
  /** A word for `help` and error messages. */
  describe?: string;
}

export type WhereSchema = Record<string, OptionSpec>;

/** Parsed and typed `where` clause: unique keys hold one value, repeatable keys an array. */
export type WhereOptions = Record<string, unknown>;

/** REST method rule for the command (rest-api.md §4, EdgeLake's http_methods_ table). */
export type RestMethod = 'GET' | 'POST' | 'ANY';

export interface CommandInvocation {
  /** The full command text after substitution of the key lookup (for messages). */
  readonly text: string;
  /** Tokens after the command key and before `where` (e.g. the dbms name in `connect dbms X where ...`). */
  readonly args: readonly string[];
  /** Typed where-clause options with defaults applied. */
  readonly options: WhereOptions;
  /** `where format = json` was asked (most `get` commands). */
  readonly format: 'table' | 'json';
  readonly source: CommandSource;
  /** The raw tokens after the key (all of them for `raw` commands; the words before `where` otherwise). */
  readonly tokens: readonly Token[];
}

export interface CommandResult {
  code: number;
  output?: CommandOutput;
  /** Detailed message when code != 0 (EdgeLake's local_msg). */
  detail?: string;
  /**
   * Script control flow (EdgeLake's GOTO, CALL, RETURN, END_SCRIPT and EXIT_SCRIPTS return values), acted on by the
   * script runner: `exit` ends every script of the chain, `end` only the current one.
   */
  control?: { kind: 'goto' | 'call'; label: string } | { kind: 'end' | 'return' | 'exit' } | { kind: 'on-error'; action: 'ignore' | 'end' | 'goto' | 'call'; label?: string };
}

/** The node as commands see it: narrow, so handlers never reach into other services' internals. */
export interface CommandContext {
  readonly dictionary: DictionaryApi;
  /** Runs another command (for `x = <command>`, `process file`, `if ... then ...`, the scheduler). */
  execute(text: string, source: CommandSource): Promise<CommandResult>;
}
// Services register their commands with closures over their own state (e.g. restCommands(restService)); the
// context stays narrow on purpose: no handler reaches into another service through it.

export interface DictionaryApi {
  get(key: string): string | undefined;
  set(key: string, value: string): void;
  delete(key: string): void;
  entries(): [string, string][];
}

export interface CommandSpec {
  /** Leading words, e.g. 'get status', 'run rest server', 'exit node'. */
  key: string;
  /** The usage line, EdgeLake's text from command-table.txt where the command exists there. */
  usage: string;
  /** Help text: what it does, shown by `help <command>`. */
  help: string;
  /** No words allowed after the key except `where format = json` (EdgeLake's "key only"). */
  keyOnly?: boolean;
  /** Declared `where` options; absent = the command takes no where clause. */
  where?: WhereSchema;
  /** Minimum and maximum words after the key (excluding the where clause). */
  minArgs?: number;
  maxArgs?: number;
  /** REST method allowed; defaults follow EdgeLake's table by leading words. */
  method?: RestMethod;
  /** The handler parses its own words (language commands such as `if`, `print`, `json`): no where parsing. */
  raw?: boolean;
  /** Whether the command appears in `help` listings (EdgeLake hides some, e.g. `exit operator`). */
  hidden?: boolean;
  run(ctx: CommandContext, inv: CommandInvocation): Promise<CommandResult> | CommandResult;
}
