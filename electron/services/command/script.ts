// Script files (`process <file>`, the node's --script): one command per line, `#` comments, `<...>` blocks,
// multi-line JSON (a line leaving `{` unbalanced continues), labels `:name:`, `goto name`, `on error goto name |
// ignore | end script`, `end script`, `exit scripts` (commands.md §1, §6). Each command's CLI output is printed
// through the interpreter's io; the script's result is its first unhandled error, or success.
import { CommandError, Status } from '../core/status.js';
import type { LanguageHost } from './host.js';
import { renderCli } from './render.js';
import type { CommandResult } from './types.js';

interface Line {
  text: string;
  /** 1-based line number in the file where the command starts. */
  line: number;
}

function braceBalance(text: string): number {
  let depth = 0;
  let quote = false;
  for (const ch of text) {
    if (ch === '"') quote = !quote;
    else if (!quote && ch === '{') depth++;
    else if (!quote && ch === '}') depth--;
  }
  return depth;
}

/** Joins physical lines into commands. */
export function scriptCommands(text: string): Line[] {
  const physical = text.split(/\r?\n/);
  const out: Line[] = [];
  for (let i = 0; i < physical.length; i++) {
    const start = i;
    let line = physical[i]!.trim();
    if (line === '' || line.startsWith('#')) continue;
    if (line.startsWith('<')) {
      const parts = [line];
      while (!parts[parts.length - 1]!.endsWith('>') && i + 1 < physical.length) parts.push(physical[++i]!.trim());
      line = parts.join(' ').replace(/^<\s*/, '').replace(/\s*>$/, '');
    } else if (braceBalance(line) > 0) {
      const parts = [line];
      while (braceBalance(parts.join('\n')) > 0 && i + 1 < physical.length) parts.push(physical[++i]!.trim());
      line = parts.join(' ');
    }
    out.push({ text: line, line: start + 1 });
  }
  return out;
}

export async function runScript(interp: LanguageHost, text: string, path: string): Promise<CommandResult> {
  const commands = scriptCommands(text);
  const labels = new Map<string, number>();
  commands.forEach((c, i) => {
    const m = /^:([^:\s]+):$/.exec(c.text);
    if (m) labels.set(m[1]!, i);
  });
  let onError: { kind: 'ignore' | 'end' | 'goto'; label?: string } | undefined;
  const jump = (label: string, at: Line): number => {
    const target = labels.get(label);
    if (target === undefined) throw new CommandError(Status.COMMAND_STRUCT, `Label '${label}' not found (${path}:${at.line})`);
    return target;
  };
  let steps = 0;
  for (let pc = 0; pc < commands.length; pc++) {
    // A goto loop without end is a script bug: stop it with a clear error instead of hanging the node.
    if (++steps > 1_000_000) throw new CommandError(Status.PROCESS_FAILURE, `Script ${path} ran more than 1,000,000 steps`);
    const cmd = commands[pc]!;
    const words = cmd.text.split(/\s+/);
    if (/^:[^:\s]+:$/.test(cmd.text)) continue;
    if (cmd.text === 'exit scripts') break;
    if (words[0] === 'on' && words[1] === 'error') {
      const action = words.slice(2).join(' ');
      if (action === 'ignore') onError = { kind: 'ignore' };
      else if (action === 'end script') onError = { kind: 'end' };
      else if (words[2] === 'goto' && words[3]) onError = { kind: 'goto', label: words[3] };
      else throw new CommandError(Status.COMMAND_STRUCT, `Unknown 'on error' action '${action}' (${path}:${cmd.line})`);
      continue;
    }
    const result = await interp.execute(cmd.text, 'script');
    const printed = renderCli(result);
    if (printed) interp.io.print(printed);
    if (result.control?.kind === 'end') break;
    if (result.control?.kind === 'goto') {
      pc = jump(result.control.label, cmd);
      continue;
    }
    if (result.code !== Status.SUCCESS) {
      if (onError?.kind === 'ignore') continue;
      if (onError?.kind === 'end') break;
      if (onError?.kind === 'goto') {
        pc = jump(onError.label!, cmd);
        continue;
      }
      return { code: result.code, detail: `${path}:${cmd.line}: '${cmd.text}': ${result.detail ?? 'failed'}` };
    }
  }
  return OK;
}

const OK: CommandResult = { code: Status.SUCCESS };
