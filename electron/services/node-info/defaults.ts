// The dictionary a node starts with (commands.md §4.1, transcripts/get-dictionary.txt), in EdgeLake's insertion
// order, and the work directories created on start. No lookup of a public IP (EdgeLake calls a public service at
// start-up; we make no call outside what the user configured): `ip` is the first non-internal IPv4 address.
import { networkInterfaces, userInfo } from 'node:os';
import { join } from 'node:path';

export const DATA_DIRS = ['prep', 'watch', 'bkup', 'error', 'dbms', 'archive', 'distr', 'pem', 'test', 'blobs', 'bwatch', 'tmp'] as const;
const DATA_KEYS = ['prep_dir', 'watch_dir', 'bkup_dir', 'err_dir', 'dbms_dir', 'archive_dir', 'distr_dir', 'pem_dir', 'test_dir', 'blobs_dir', 'bwatch_dir', 'tmp_dir'];

/** Every dictionary key naming a directory the node creates on start. */
export const WORK_DIR_KEYS: readonly string[] = [...DATA_KEYS, 'blockchain_dir', 'local_scripts', 'id_dir'];

export function machineIp(): string {
  for (const addresses of Object.values(networkInterfaces())) {
    for (const a of addresses ?? []) if (a.family === 'IPv4' && !a.internal) return a.address;
  }
  return '127.0.0.1';
}

function osUser(): string {
  try {
    return userInfo().username;
  } catch {
    return 'user';
  }
}

export function defaultDictionary(options: { home: string; ip?: string | undefined }): [string, string][] {
  const ip = options.ip ?? machineIp();
  const base = join(options.home, 'EdgeLake');
  const blockchain = join(base, 'blockchain');
  return [
    ['is_vm', 'False'],
    ['external_ip', ip],
    ['ip', ip],
    ['anylog_server_port', '2048'],
    ['anylog_rest_port', '2148'],
    ['io_buff_size', '2048'],
    ['db_user', `${osUser()}@127.0.0.1:demo`],
    ['db_port', '5432'],
    ['edgelake_path', options.home],
    ['blockchain_sql', join(blockchain, 'blockchain.sql')],
    ['blockchain_file', join(blockchain, 'blockchain.json')],
    ['blockchain_new', join(blockchain, 'blockchain.new')],
    ['blockchain_dir', blockchain],
    ['local_scripts', join(base, 'scripts')],
    ...DATA_KEYS.map((key, i): [string, string] => [key, join(base, 'data', DATA_DIRS[i]!)]),
    ['id_dir', join(base, 'anylog')],
    ['input_thread', 'MainThread'],
  ];
}
