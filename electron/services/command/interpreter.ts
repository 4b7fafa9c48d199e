// The interpreter: one entry point for every command line, whatever its source (console, CLI, script, REST, peer,
// scheduler). It splits a line at `&`, tokenizes, handles assignments and `!x` references, finds the command in
// the table (longest key), checks its structure and where-clause, and runs the handler. It never throws: any
// failure is a CommandResult with EdgeLake's code and our detail (commands.md §3).
import { CommandError, Status } from '../core/status.js';
import type { Dictionary } from './dictionary.js';
import type { InterpreterIo, LanguageHost } from './host.js';
import { resultText, tableJson } from './render.js';
import type { CommandTable } from './table.js';
import { splitCommands, tokenize, type Token } from './tokenizer.js';
import type { CommandResult, CommandSource, CommandSpec } from './types.js';
import { parseWhere } from './where.js';
import { EDGELAKE_COMMAND_WORDS } from './edgelake-words.js';
import { evaluateCondition } from './conditions.js';
import { evaluateExpression, pyStr, pythonSource } from './expression.js';

const OK: CommandResult = { code: Status.SUCCESS };

export type { InterpreterIo } from './host.js';

/** Built by createInterpreter (language.ts), which registers the language's own commands. */
export class Interpreter implements LanguageHost {
  /** The outcome of the last `if`, for a following `else` (EdgeLake keeps it across console lines). */
  lastIf: boolean | undefined;

  constructor(
    readonly table: CommandTable,
    readonly dictionary: Dictionary,
    readonly io: InterpreterIo,
  ) {}

  async execute(text: string, source: CommandSource): Promise<CommandResult> {
    const result = await this.executeLine(text, source);
    this.io.executed?.(text, source, result);
    return result;
  }

  private async executeLine(text: string, source: CommandSource): Promise<CommandResult> {
    try {
      let result: CommandResult = OK;
      for (const piece of splitCommands(text)) {
        result = await this.executeOne(piece, source);
        if (result.code !== Status.SUCCESS) break;
      }
      return result;
    } catch (err) {
      if (err instanceof CommandError) return { code: err.code, detail: err.detail };
      const message = err instanceof Error ? err.message : String(err);
      const stack = this.io.traceback?.() && err instanceof Error && err.stack ? `\r\n${err.stack}` : '';
      return { code: Status.PROCESS_FAILURE, detail: message + stack };
    }
  }

  /** Resolves a word for use as an argument: undefined references become ''. */
  resolveWord(token: Token): string {
    return token.quoted ? token.text : (this.dictionary.resolve(token.text) ?? '');
  }

  private executeOne(line: string, source: CommandSource): Promise<CommandResult> {
    return this.executeTokens(tokenize(line), source);
  }

  /** Runs an already tokenized command: `!x`, `a + b`, assignment, or a command of the table. */
  async executeTokens(tokens: Token[], source: CommandSource): Promise<CommandResult> {
    if (tokens.length === 0) return OK;
    const first = tokens[0]!;

    // `!x` / `$X` alone prints the value (nothing when undefined).
    if (tokens.length === 1 && !first.quoted && /^[!$]/.test(first.text)) {
      const value = this.dictionary.resolve(first.text);
      if (!value) return OK;
      // A variable holding a JSON object or list (a policy) shows as a structure, as EdgeLake prints it.
      if (/^\s*[{[]/.test(value)) {
        try {
          return { code: 0, output: { kind: 'json', value: JSON.parse(value) as unknown } };
        } catch {
          // not JSON after all: printed as text
        }
      }
      return { code: 0, output: { kind: 'print', text: value } };
    }
    // `a + b + ...` prints the concatenation.
    if (tokens.length > 2 && tokens[1]!.text === '+' && !tokens[1]!.quoted) {
      return { code: 0, output: { kind: 'print', text: this.concatenate(tokens) } };
    }
    if (tokens.length >= 2 && tokens[1]!.text === '=' && !tokens[1]!.quoted) {
      return this.assign(first, tokens.slice(2), source);
    }
    return this.dispatch(tokens, source);
  }

  /** Finds and runs a command given its tokens. */
  async dispatch(tokens: Token[], source: CommandSource): Promise<CommandResult> {
    const keyWords = tokens.map((t) => (!t.quoted && t.text.startsWith('!') ? (this.dictionary.resolve(t.text) ?? t.text) : t.text));
    const found = this.table.lookup(keyWords);
    if (!found) {
      return { code: Status.NOT_IN_COMMANDS, detail: `Unrecognized command '${tokens.slice(0, 3).map((t) => t.text).join(' ')}'` };
    }
    return this.runSpec(found.spec, tokens, found.consumed, source);
  }

  private async runSpec(spec: CommandSpec, tokens: Token[], consumed: number, source: CommandSource): Promise<CommandResult> {
    const rest = tokens.slice(consumed);
    const whereAt = rest.findIndex((t) => t.text === 'where' && !t.quoted);
    const argTokens = whereAt === -1 ? rest : rest.slice(0, whereAt);
    const whereTokens = whereAt === -1 ? [] : rest.slice(whereAt + 1);
    if (spec.raw) {
      return spec.run(this.context(), { text: tokens.map((t) => t.text).join(' '), args: [], options: {}, format: 'table', source, tokens: rest });
    }
    const usage = `usage: ${spec.usage}`;
    if (spec.keyOnly && argTokens.length > 0) {
      throw new CommandError(Status.COMMAND_STRUCT, `'${spec.key}' takes no words after it; '${argTokens[0]!.text}' at position ${argTokens[0]!.pos} (${usage})`);
    }
    if (spec.minArgs !== undefined && argTokens.length < spec.minArgs) {
      throw new CommandError(Status.COMMAND_STRUCT, `'${spec.key}' is missing words (${usage})`);
    }
    if (spec.maxArgs !== undefined && argTokens.length > spec.maxArgs) {
      const extra = argTokens[spec.maxArgs]!;
      throw new CommandError(Status.COMMAND_STRUCT, `Unexpected '${extra.text}' at position ${extra.pos} (${usage})`);
    }
    if (whereAt !== -1 && !spec.where) {
      throw new CommandError(Status.COMMAND_STRUCT, `'${spec.key}' takes no where clause; 'where' at position ${rest[whereAt]!.pos}`);
    }
    const options = spec.where ? parseWhere(whereTokens, spec.where, this.dictionary) : {};
    const format = options.format === 'json' ? 'json' : 'table';
    const result = await spec.run(this.context(), {
      text: tokens.map((t) => t.text).join(' '),
      args: argTokens.map((t) => this.resolveWord(t)),
      options,
      format,
      source,
      tokens: argTokens,
    });
    // Handlers return tables as rows; `where format = json` turns them into their JSON form here, in one place.
    if (format === 'json' && result.output?.kind === 'table') return { ...result, output: { kind: 'json', value: tableJson(result.output) } };
    return result;
  }

  context() {
    return { dictionary: this.dictionary, execute: (text: string, source: CommandSource) => this.execute(text, source) };
  }

  concatenate(tokens: Token[]): string {
    return tokens
      .filter((t, i) => !(i % 2 === 1 && t.text === '+' && !t.quoted))
      .map((t) => this.resolveWord(t))
      .join('');
  }

  /** `name = value` (commands.md §4.3). */
  private async assign(target: Token, value: Token[], source: CommandSource): Promise<CommandResult> {
    const name = target.text;
    let text: string | undefined;
    const head = value[0];
    if (!head) {
      text = '';
    } else if (value.length === 1 && head.quoted) {
      text = head.text;
    } else if (head.text === 'if' && !head.quoted) {
      text = evaluateCondition(value.slice(1), this.dictionary) ? 'True' : 'False';
    } else if (head.text === 'python' && !head.quoted) {
      text = pyStr(evaluateExpression(pythonSource(value.slice(1), (ref) => this.dictionary.resolve(ref))));
    } else if (value.some((t, i) => i % 2 === 1 && t.text === '+' && !t.quoted) && value.length >= 3) {
      text = this.concatenate(value);
    } else if (/^[{[]/.test(head.text) && value.length === 1) {
      text = head.text; // JSON kept raw; references inside are resolved when the JSON is used
    } else {
      const keyWords = value.map((t) => (!t.quoted && t.text.startsWith('!') ? (this.dictionary.resolve(t.text) ?? t.text) : t.text));
      const found = head.quoted ? undefined : this.table.lookup(keyWords);
      if (found) {
        // A failed command leaves the variable as it was (EdgeLake sets it only on success); an empty `blockchain
        // get` result leaves it unset, so `if !x` tells "found nothing" apart from "found".
        const result = await this.runSpec(found.spec, value, found.consumed, source);
        if (result.code !== Status.SUCCESS) return result;
        const output = result.output;
        text = output?.kind === 'json' && Array.isArray(output.value) && output.value.length === 0 ? '' : resultText(result);
      } else if (!head.quoted && EDGELAKE_COMMAND_WORDS.has(head.text)) {
        // `x = file test ...` where this node lacks the command: EdgeLake would run it, so it is an error here too,
        // never the command's text stored in x (scripts test `if !x` and build JSON from it). The word is taken as
        // written: EdgeLake resolves `!default_dbms` first, so with DEFAULT_DBMS=test `db_name = !default_dbms`
        // runs the command `test` and leaves db_name unset (its operator then never connects `test`: observed with
        // the deployment scripts). That is a bug; here a value from a reference is data.
        return { code: Status.NOT_IN_COMMANDS, detail: `'${value.map((t) => t.text).join(' ')}' is not a command this node runs: '${name}' is left unset` };
      } else {
        text = value.map((t) => this.resolveWord(t)).join(' ');
      }
    }
    return this.store(name, text);
  }

  store(name: string, text: string): CommandResult {
    if (name.startsWith('$')) {
      this.dictionary.setEnv(name.slice(1), text);
      return OK;
    }
    const member = /^([A-Za-z_]\w*)\[(.+)\]$/.exec(name);
    if (member) {
      const [, base, key] = member;
      let obj: Record<string, unknown> = {};
      try {
        const parsed: unknown = JSON.parse(this.dictionary.get(base!) ?? '{}');
        if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) obj = parsed as Record<string, unknown>;
      } catch {
        // not an object yet: start one
      }
      obj[key!.replace(/^["']|["']$/g, '')] = text;
      this.dictionary.set(base!, JSON.stringify(obj));
      return OK;
    }
    if (!/^[A-Za-z_][\w.-]*$/.test(name)) {
      throw new CommandError(Status.COMMAND_STRUCT, `'${name}' is not a valid variable name`);
    }
    if (text === '') this.dictionary.delete(name);
    else this.dictionary.set(name, text);
    return OK;
  }
}
