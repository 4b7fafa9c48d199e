// The language's own commands: print/echo, get !x, set x = y, if/else, json, python, incr, wait, process (scripts)
// and help. They are raw commands: they read their tokens themselves.
import { readFile } from 'node:fs/promises';
import { CommandError, Status } from '../core/status.js';
import { evaluateCondition } from './conditions.js';
import { substituteInJson } from './dictionary.js';
import { evaluateExpression, pyStr } from './expression.js';
import { helpCommand } from './help.js';
import type { LanguageHost } from './host.js';
import { runScript } from './script.js';
import type { Token } from './tokenizer.js';
import type { CommandResult, CommandSpec } from './types.js';

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
      run: (_ctx, inv) => printCommand(interp, inv.tokens),
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
          return ctx.execute(inv.text.replace(/^set\s+/, ''), inv.source);
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
        interp.lastIf = evaluateCondition([...condition], dictionary);
        if (thenAt === -1 || !interp.lastIf) return OK;
        const command = inv.tokens.slice(thenAt + 1);
        if (command.length === 0) return OK;
        return interp.executeTokens([...command], inv.source);
      },
    },
    {
      key: 'else',
      usage: 'else [command]',
      help: 'Runs the command when the previous if condition was false.',
      raw: true,
      run: (_ctx, inv) => (interp.lastIf === false && inv.tokens.length ? interp.executeTokens([...inv.tokens], inv.source) : OK),
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
        const expr = inv.tokens.map((t) => (t.quoted ? JSON.stringify(t.text) : interp.resolveWord(t))).join(' ');
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
          throw new CommandError(Status.FILE_DOES_NOT_EXIST, `Cannot read script '${path}': ${(err as Error).message}`);
        }
        return runScript(interp, text, path);
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
