// What this node sends back for a command a peer asked it to run (peer-protocol.md §4.3, §6.3): `print` blocks
// with the result's text (generic flag 2 when it is JSON), or an `echo` carrying the error, in EdgeLake's forms.
import { pyJsonDumps } from '../command/format/pyjson.js';
import { resultText } from '../command/render.js';
import type { CommandResult } from '../command/types.js';
import { Status, statusText } from '../core/status.js';
import { pyRepr, type PyValue } from '../command/format/pyvalue.js';
import { encodeBlock, INFO, PAYLOAD_CAPACITY, type BlockHeader } from './codec.js';

const PRINT_CAPACITY = PAYLOAD_CAPACITY - 'print'.length;

/** The blocks answering `command`'s result, or none (a command with no output answers nothing, as EdgeLake). */
export function replyBlocks(base: BlockHeader, command: string, result: CommandResult): Buffer[] | undefined {
  const echo = (text: string, code: number, data = '', infoType: number = INFO.command) => [encodeBlock({ ...base, error: code, infoType, genericFlag: data ? 1 : 0 }, text.slice(0, PAYLOAD_CAPACITY - Buffer.byteLength(data)), Buffer.from(data))];
  // EdgeLake's spelling (sic), the command in the echo, no data.
  if (result.code === Status.UNRECOGNIZED || result.code === Status.NOT_IN_COMMANDS) return echo(`echo Command '${command}' not recoginzed`, Status.UNRECOGNIZED);
  if (result.code !== 0) {
    if (command.startsWith('blockchain ')) {
      const sub = command.split(' ')[1] ?? '';
      return echo(`echo Blockchain message '${sub}' failed`, result.code, result.detail ?? '', INFO.tableStruct);
    }
    return echo('echo', result.code, statusText(result.code));
  }
  let text: string;
  let json = false;
  const output = result.output;
  if (output?.kind === 'json' && command.startsWith('blockchain get')) {
    // EdgeLake answers `blockchain get` with Python's text of the list, flagged as text (§4.3).
    text = Array.isArray(output.value) && output.value.length === 0 ? '' : pyRepr(output.value as PyValue);
  } else {
    text = resultText(result);
    json = output?.kind === 'json';
    if (output?.kind === 'json' && typeof output.value !== 'string') text = pyJsonDumps(output.value);
  }
  if (!text) return undefined;
  const data = Buffer.from(text, 'utf8');
  const blocks: Buffer[] = [];
  for (let at = 0, n = 1; at < data.length || n === 1; at += PRINT_CAPACITY, n++) {
    const piece = data.subarray(at, at + PRINT_CAPACITY);
    blocks.push(encodeBlock({ ...base, blockCounter: n, last: at + PRINT_CAPACITY >= data.length, genericFlag: json ? 2 : 1 }, 'print', piece));
    if (at + PRINT_CAPACITY >= data.length) break;
  }
  return blocks;
}
