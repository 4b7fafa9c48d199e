// Script files (`process <file>`, the node's --script): one command per line, `#` comments, `<...>` blocks,
// multi-line JSON (a line leaving `{` unbalanced continues), labels `:name:`, `goto name`, `call name` / `return`,
// `on error goto name | call name | ignore | end script`, `end script`, `exit scripts` (commands.md §1, §6). Each
// command's CLI output is printed through the interpreter's io; the script's result is its first unhandled error,
// or success.
//
// Error handling follows EdgeLake's script loop (member_cmd.py process_script), quirks included, since the
// deployment scripts rely on them: an unrecognized command or a command-structure error is never sent to an
// `on error goto/call` label — only `on error ignore` passes it, otherwise the script stops there; any other error
// jumps to the label unless the script is already at that label (no recursion); `return` with nothing to return to
// ends the script; `exit scripts` ends this script and every script that called it.
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
  let onError: { kind: 'ignore' | 'end' | 'goto' | 'call'; label?: string } | undefined;
  /** The label the script last jumped to (EdgeLake's location_name): an error there does not jump to it again. */
  let location = '';
  const returns: number[] = [];
  const jump = (label: string, at: Line): number => {
    const target = labels.get(label);
    if (target === undefined) throw new CommandError(Status.COMMAND_STRUCT, `Label '${label}' not found (${path}:${at.line})`);
    location = label;
    return target;
  };
  let steps = 0;
  for (let pc = 0; pc < commands.length; pc++) {
    // A goto loop without end is a script bug: stop it with a clear error instead of hanging the node.
    if (++steps > 1_000_000) throw new CommandError(Status.PROCESS_FAILURE, `Script ${path} ran more than 1,000,000 steps`);
    const cmd = commands[pc]!;
    if (/^:[^:\s]+:$/.test(cmd.text)) continue;
    const result = await interp.execute(cmd.text, 'script');
    const printed = renderCli(result);
    if (printed) interp.io.print(printed);
    interp.io.scriptLine?.(path, cmd.line, cmd.text, result);
    switch (result.control?.kind) {
      case 'on-error':
        // `on error ...` is a command (so `do on error ...` works too); it sets how this script handles failures.
        onError = { kind: result.control.action, label: result.control.label };
        continue;
      case 'end':
        return OK;
      case 'exit':
        return EXIT;
      case 'goto':
        pc = jump(result.control.label, cmd);
        continue;
      case 'call':
        returns.push(pc);
        pc = jump(result.control.label, cmd);
        continue;
      case 'return':
        if (returns.length === 0) return OK;
        pc = returns.pop()!;
        continue;
    }
    if (result.code === Status.SUCCESS) continue;
    const structural = result.code === Status.UNRECOGNIZED || result.code === Status.COMMAND_STRUCT || result.code === Status.NOT_IN_COMMANDS || result.code === Status.MISSING_SCRIPT;
    if (onError?.kind === 'ignore') continue;
    if (!structural && (onError?.kind === 'goto' || onError?.kind === 'call') && onError.label !== location) {
      if (onError.kind === 'call') returns.push(pc);
      pc = jump(onError.label!, cmd);
      continue;
    }
    if (!structural && onError?.kind === 'end') return OK;
    return { code: result.code, detail: `${path}:${cmd.line}: '${cmd.text}': ${result.detail ?? 'failed'}` };
  }
  return OK;
}

const OK: CommandResult = { code: Status.SUCCESS };
/** `exit scripts`: the callers' scripts end too (process returns this control). */
const EXIT: CommandResult = { code: Status.SUCCESS, control: { kind: 'exit' } };
