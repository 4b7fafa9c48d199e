// What `run operator` checks and derives before it starts: its policy in the ledger (exactly one, EdgeLake's 113
// otherwise), tsd_info when update_tsd_info is on, a connection for each dbms of limit_tables, its directories
// (the dictionary's unless the command names them) and the options of the ingest steps and core.
import type { DictionaryApi } from '../command/types.js';
import { CommandError, Status } from '../core/status.js';
import type { DbmsAdapter } from '../dbms/adapter.js';
import { bodyOf, typeOf, type Ledger } from '../metadata/ledger.js';
import { toPlain } from '../metadata/policy-id.js';
import type { IngestDirs, IngestOptions } from './ingest-types.js';
import type { OperatorConfig } from './options.js';

export interface OperatorSetupDeps {
  dictionary: DictionaryApi;
  ledger(): Pick<Ledger, 'all' | 'issues'>;
  database(name: string): DbmsAdapter;
}

export interface OperatorSetup {
  policy: Record<string, unknown>;
  member: string;
  dirs: IngestDirs & { watchDir: string };
  options: IngestOptions;
}

export async function operatorSetup(deps: OperatorSetupDeps, config: OperatorConfig): Promise<OperatorSetup> {
  const dict = deps.dictionary;
  const ledgerFile = dict.get('blockchain_file') ?? '';
  const ledger = deps.ledger();
  const policies = await ledger.all();
  const problem = ledger.issues()[0];
  if (problem) throw new CommandError(Status.WRONG_POLICY_STRUCTURE, `${ledgerFile}: line ${problem.line} is not a policy (${problem.reason})`);
  const matches = policies.filter((p) => typeOf(p) === 'operator' && bodyOf(p).id === config.policy).map((p) => toPlain(bodyOf(p)) as Record<string, unknown>);
  if (matches.length !== 1) {
    throw new CommandError(Status.POLICY_NOT_AVAILABLE, matches.length === 0 ? `Missing Operator policy with ID '${config.policy}' in ${ledgerFile}` : `Operator policy '${config.policy}' appears ${matches.length} times in the ledger`);
  }
  const policy = matches[0]!;
  if (config.updateTsdInfo) {
    const almgm = (() => {
      try {
        return deps.database('almgm');
      } catch {
        return undefined;
      }
    })();
    if (!almgm || !(await almgm.tables()).includes('tsd_info')) {
      throw new CommandError(Status.DBMS_NOT_OPENED, "Table 'tsd_info' in dbms 'almgm' does not exists or dbms is not connected");
    }
  }
  const watchDir = config.watchDir ?? dict.get('watch_dir')!;
  const errDir = config.errDir ?? dict.get('err_dir')!;
  const member = policy.member !== undefined ? String(policy.member) : '0';
  const dirs = { watchDir, archiveDir: dict.get('archive_dir')!, errDir, bkupDir: dict.get('bkup_dir'), distrDir: config.distrDir ?? dict.get('distr_dir') };
  const options = {
    createTable: config.createTable,
    updateTsdInfo: config.updateTsdInfo,
    archiveJson: config.archiveJson,
    compressJson: config.compressJson,
    archiveSql: config.archiveSql,
    compressSql: config.compressSql,
    limitTables: config.limitTables,
    fileTypes: config.fileTypes,
    distributor: config.distributor,
    member,
    maxFileSize: config.maxFileSize,
  };
  for (const key of config.limitTables) {
    const dbms = key.split('.')[0]!;
    try {
      deps.database(dbms);
    } catch {
      throw new CommandError(Status.DBMS_NOT_CONNECTED, `limit_tables: the operator is not connected to dbms '${dbms}' (${key})`);
    }
  }
  return { policy, member, dirs, options };
}
