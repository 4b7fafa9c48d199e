// `help` lists every command the node knows with its usage; `help <command>` prints one command's usage and
// explanation in EdgeLake's layout (Usage / Explanation sections, tab-indented).
import { CommandError, Status } from '../core/status.js';
import type { CommandTable } from './table.js';
import type { CommandSpec } from './types.js';

export function helpCommand(table: CommandTable): CommandSpec {
  return {
    key: 'help',
    usage: 'help [command]',
    help: 'Lists the commands with their usage, or explains one command.',
    raw: true,
    run: (_ctx, inv) => {
      const words = inv.tokens.map((t) => t.text);
      const visible = table.list().filter((s) => !s.hidden);
      if (words.length === 0) {
        return { code: 0, output: { kind: 'text', text: visible.map((s) => s.usage).join('\r\n') } };
      }
      const wanted = words.join(' ');
      const exact = table.get(wanted);
      if (exact) {
        const text = `Usage:\r\n\t${exact.usage}\r\n\r\nExplanation:\r\n\t${exact.help.replace(/\n/g, '\r\n\t')}\r\n`;
        return { code: 0, output: { kind: 'text', text } };
      }
      const family = visible.filter((s) => s.key.startsWith(`${wanted} `));
      if (family.length > 0) return { code: 0, output: { kind: 'text', text: family.map((s) => s.usage).join('\r\n') } };
      throw new CommandError(Status.COMMAND_STRUCT, `No help for '${wanted}': not a command of this node (type 'help' for the list)`);
    },
  };
}
