// The language's own commands: print/echo, get !x, set x = y, if/else, json, python, incr, wait, process (scripts)
// and help. They are raw commands: they read their tokens themselves.
import { readFile } from 'node:fs/promises';
import { CommandError, Status } from '../core/status.js';
import { evaluateCondition } from './conditions.js';
import { substituteInJson } from './dictionary.js';
import { evaluateExpression, pyStr, pythonSource } from './expression.js';
import { helpCommand } from './help.js';
import type { LanguageHost } from './host.js';
import { runScript } from './script.js';
import type { Token } from './tokenizer.js';
import type { CommandResult, CommandSource, CommandSpec } from './types.js';

const OK: CommandResult = { code: Status.SUCCESS };
const structure = (detail: string) => new CommandError(Status.COMMAND_STRUCT, detail);

function printText(interp: LanguageHost, tokens: readonly Token[]): string {
  for (const t of tokens) {
    // EdgeLake sends `print [a][b] [c]` into infinite recursion and kills its console (grammar.txt); we refuse
    // a bracketed word that is not a list, and say which.
    if (!t.quoted && t.text.startsWith('[') && !/^\[[^[\]]*(,[^[\]]*)*\]$/.test(t.text)) {
      throw structure(`'${t.text}' at position ${t.pos} is not a list; put it in double quotes to print it`);
    }
  }
  return tokens.map((t) => interp.resolveWord(t)).join(' ');
}

function printCommand(interp: LanguageHost, tokens: readonly Token[]): CommandResult {
  const text = printText(interp, tokens);
  return text ? { code: 0, output: { kind: 'print', text } } : OK;
}

export function languageCommands(interp: LanguageHost): CommandSpec[] {
  const dictionary = interp.dictionary;
  /** `do`/`else` run a command; a script they process keeps its own if-state (EdgeLake restores the caller's). */
  const guarded = async (tokens: readonly Token[], source: CommandSource): Promise<CommandResult> => {
    const saved = interp.lastIf;
    const result = await interp.executeTokens([...tokens], source);
    if (tokens[0]?.text === 'process') interp.lastIf = saved;
    return result;
  };
  const scriptOnly = (word: string, source: CommandSource) => {
    if (source !== 'script') throw structure(`'${word}' is only valid inside a script`);
  };
  return [
    {
      key: 'print',
      usage: 'print [text]',
      help: 'Prints the text with dictionary references (!x, $ENV) replaced; words are rejoined with single spaces.',
      raw: true,
      run: (_ctx, inv) => printCommand(interp, inv.tokens),
    },
    {
      key: 'echo',
      usage: 'echo [text]',
      help: 'Like print: prints the text with dictionary references replaced.',
      raw: true,
      run: (_ctx, inv) => (interp.io.echo?.(printText(interp, inv.tokens)) ? OK : printCommand(interp, inv.tokens)),
    },
    {
      key: 'get',
      usage: 'get [info type] [info string]',
      help: "The 'get' family: 'get !x' returns the value of x; 'help get' lists the other get commands.",
      raw: true,
      run: (_ctx, inv) => {
        const [word] = inv.tokens;
        if (inv.tokens.length === 1 && word && /^[!$]/.test(word.text) && !word.quoted) {
          return { code: 0, output: { kind: 'text', text: dictionary.resolve(word.text) ?? '' } };
        }
        const what = inv.tokens.map((t) => t.text).join(' ');
        throw structure(what ? `Unknown 'get' command: 'get ${what}'` : "'get' needs an info type (see 'help get')");
      },
    },
    {
      key: 'set',
      usage: 'set [variable name] = [value]',
      help: "Assigns a value to a dictionary variable ('set x = 5' is the same as 'x = 5').",
      raw: true,
      run: (ctx, inv) => {
        if (inv.tokens.length >= 2 && inv.tokens[1]!.text === '=') {
          // `set x = value` stores the value as a word, never runs it as a command (`set destination = file` stores
          // "file"); more than one word is a structure error (both as on EdgeLake 1.4.2604).
          const [name, , value, extra] = inv.tokens;
          if (extra) throw structure(`'set ${name!.text} = ...' takes one value; '${extra.text}' at position ${extra.pos} is extra (quote a value with spaces)`);
          return interp.store(name!.text, value ? (value.quoted ? value.text : interp.resolveWord(value)) : '');
        }
        const what = inv.tokens.map((t) => t.text).join(' ');
        throw structure(what ? `Unknown 'set' command: 'set ${what}'` : "'set' needs a variable assignment or a setting");
      },
    },
    {
      key: 'if',
      usage: 'if [int/str] [condition] then [command]',
      help: "Runs the command after 'then' when the condition holds; 'else' on the next line runs when it did not.",
      raw: true,
      run: async (ctx, inv) => {
        const thenAt = inv.tokens.findIndex((t) => t.text === 'then' && !t.quoted);
        const condition = thenAt === -1 ? inv.tokens : inv.tokens.slice(0, thenAt);
        const holds = evaluateCondition([...condition], dictionary);
        const command = thenAt === -1 ? [] : inv.tokens.slice(thenAt + 1);
        // EdgeLake runs the command after `then` first and records this if's outcome after it, so the `do` and
        // `else` lines that follow see this condition, not one evaluated inside the command.
        const result = holds && command.length > 0 ? await interp.executeTokens([...command], inv.source) : OK;
        interp.lastIf = holds;
        return result;
      },
    },
    {
      key: 'else',
      usage: 'else [command]',
      help: "Runs the command when the last if condition was false ('else if ... then' chains conditions).",
      raw: true,
      run: (_ctx, inv) => (inv.tokens.length === 0 ? Promise.reject(structure("'else' needs a command")) : interp.lastIf ? OK : guarded(inv.tokens, inv.source)),
    },
    {
      key: 'do',
      usage: 'do [command]',
      help: "After 'if ... then' on a line of its own: runs the command when the condition held. A <do ...> block spans lines.",
      raw: true,
      run: (_ctx, inv) => (inv.tokens.length === 0 ? Promise.reject(structure("'do' needs a command")) : interp.lastIf ? guarded(inv.tokens, inv.source) : OK),
    },
    {
      key: 'json',
      usage: 'json [json object] [test]',
      help: "Replaces dictionary references in the JSON and prints it; with 'test', prints true or false for its validity.",
      raw: true,
      run: (_ctx, inv) => {
        const [first, second] = inv.tokens;
        if (!first) throw structure("'json' needs a JSON object");
        const source = first.text.startsWith('!') ? (dictionary.resolve(first.text) ?? '') : first.text;
        const text = substituteInJson(source, dictionary);
        let value: unknown;
        try {
          value = JSON.parse(text);
        } catch (err) {
          if (second?.text === 'test') return { code: 0, output: { kind: 'print', text: 'false' } };
          throw new CommandError(Status.WRONG_JSON, `${(err as Error).message} in '${text}'`);
        }
        if (second?.text === 'test') return { code: 0, output: { kind: 'print', text: 'true' } };
        return { code: 0, output: { kind: 'json', value } };
      },
    },
    {
      key: 'python',
      usage: 'python [expression]',
      help: 'Evaluates an arithmetic or string expression (numbers, strings, + - * / // % **, comparisons).',
      raw: true,
      run: (_ctx, inv) => {
        const expr = pythonSource(inv.tokens, (ref) => dictionary.resolve(ref));
        return { code: 0, output: { kind: 'text', text: pyStr(evaluateExpression(expr)) } };
      },
    },
    {
      key: 'incr',
      usage: 'incr [variable] [value]',
      help: 'Returns the integer value plus the increment (default 1).',
      raw: true,
      run: (_ctx, inv) => {
        const [v, by] = inv.tokens;
        if (!v) throw structure("'incr' needs a value");
        const base = Number(interp.resolveWord(v));
        const step = by ? Number(interp.resolveWord(by)) : 1;
        if (!Number.isInteger(base) || !Number.isInteger(step)) throw structure(`'incr' needs integers, got '${interp.resolveWord(v)}'`);
        return { code: 0, output: { kind: 'text', text: String(base + step) } };
      },
    },
    {
      key: 'wait',
      usage: 'wait [max wait time in seconds] [for] [condition]',
      help: 'Waits the given seconds, or until the condition after "for" holds (checked every 100 ms).',
      raw: true,
      run: async (_ctx, inv) => {
        const [seconds, forWord, ...condition] = inv.tokens;
        const limit = Number(seconds ? interp.resolveWord(seconds) : NaN);
        if (!Number.isFinite(limit) || limit < 0) throw structure(`'wait' needs a number of seconds${seconds ? `, not '${seconds.text}'` : ''}`);
        const end = Date.now() + limit * 1000;
        while (Date.now() < end) {
          if (forWord?.text === 'for' && evaluateCondition(condition, dictionary)) break;
          await new Promise((r) => setTimeout(r, Math.min(100, Math.max(0, end - Date.now()))));
        }
        return OK;
      },
    },
    {
      key: 'process',
      usage: 'process [path and file name]',
      help: 'Runs a file of commands: one per line, <...> blocks, # comments, labels with goto, on error ... .',
      raw: true,
      run: async (_ctx, inv) => {
        const [file] = inv.tokens;
        if (!file) throw structure("'process' needs a file name");
        const path = interp.resolveWord(file);
        let text: string;
        try {
          text = await (interp.io.readFile ?? ((p: string) => readFile(p, 'utf8')))(path);
        } catch (err) {
          throw new CommandError(Status.MISSING_SCRIPT, `Cannot read script '${path}': ${(err as Error).message}`);
        }
        // The called script has its own if-state; the caller's is restored after it (EdgeLake's process_script).
        const saved = interp.lastIf;
        try {
          return await runScript(interp, text, path);
        } finally {
          interp.lastIf = saved;
        }
      },
    },
    {
      key: 'goto',
      usage: 'goto [name]',
      help: 'In a script: continues at the line :name:.',
      raw: true,
      run: (_ctx, inv) => {
        if (inv.source !== 'script') throw structure("'goto' is only valid inside a script");
        const [label] = inv.tokens;
        if (!label || inv.tokens.length > 1) throw structure("'goto' needs one label name");
        return { code: 0, control: { kind: 'goto', label: label.text } };
      },
    },
    {
      key: 'on error',
      usage: 'on error [goto name | call name | ignore | end script]',
      help: "In a script: what a failing command does next — jump to :name:, call it (return comes back), go on, or end the script.",
      raw: true,
      run: (_ctx, inv) => {
        const words = inv.tokens.map((t) => t.text);
        const action = words.join(' ');
        let control: CommandResult['control'];
        if (action === 'ignore') control = { kind: 'on-error', action: 'ignore' };
        else if (action === 'end script') control = { kind: 'on-error', action: 'end' };
        else if ((words[0] === 'goto' || words[0] === 'call') && words[1] && words.length === 2) control = { kind: 'on-error', action: words[0], label: words[1] };
        else throw structure(`Unknown 'on error' action '${action}': use goto <label>, call <label>, ignore or end script`);
        return inv.source === 'script' ? { code: 0, control } : OK;
      },
    },
    {
      key: 'call',
      usage: 'call [name]',
      help: "In a script: continues at the line :name:; 'return' comes back to the line after the call.",
      raw: true,
      run: (_ctx, inv) => {
        scriptOnly('call', inv.source);
        const [label] = inv.tokens;
        if (!label || inv.tokens.length > 1) throw structure("'call' needs one label name");
        return { code: 0, control: { kind: 'call', label: label.text } };
      },
    },
    {
      key: 'return',
      usage: 'return',
      help: "In a script: back to the line after the last 'call' (or 'on error call'); with none, the script ends.",
      keyOnly: true,
      run: (_ctx, inv) => {
        scriptOnly('return', inv.source);
        return { code: 0, control: { kind: 'return' } };
      },
    },
    {
      key: 'exit scripts',
      usage: 'exit scripts',
      help: 'In a script: ends it and every script that called it (end script ends only the current one).',
      keyOnly: true,
      run: (_ctx, inv) => (inv.source === 'script' ? { code: 0, control: { kind: 'exit' } } : OK),
    },
    {
      key: 'end script',
      usage: 'end script',
      help: 'In a script: ends it here.',
      keyOnly: true,
      run: (_ctx, inv) => {
        if (inv.source !== 'script') throw structure("'end script' is only valid inside a script");
        return { code: 0, control: { kind: 'end' } };
      },
    },
    helpCommand(interp.table),
  ];
}
