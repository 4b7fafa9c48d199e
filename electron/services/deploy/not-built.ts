// EdgeLake services this node does not have yet, answered in EdgeLake's error form (not "unrecognized", which
// would stop a deployment script that has `on error call` or `on error ignore` for them): the script's own error
// handling runs, as on EdgeLake when such a service fails to start.
import type { CommandSpec } from '../command/types.js';
import { CommandError, Status } from '../core/status.js';

const SERVICES: { key: string; usage: string; why: string }[] = [
  { key: 'system', usage: 'system [shell command]', why: 'running shell commands from the command language is turned off (any REST or peer client could run them)' },
  { key: 'run blobs archiver', usage: 'run blobs archiver where dbms = [true/false] and folder = [true/false] and compress = [true/false] and reuse_blobs = [true/false]', why: 'blob storage (files, MongoDB, buckets) is not part of this node yet' },
];

export function notBuiltCommands(): CommandSpec[] {
  return SERVICES.map(({ key, usage, why }) => ({
    key,
    usage,
    help: `Not available in this node: ${why}.`,
    raw: true,
    run: () => {
      throw new CommandError(Status.PROCESS_FAILURE, `'${key}' is not available in this node: ${why}`);
    },
  }));
}
