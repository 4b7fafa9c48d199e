// Status codes and the error value that carries them across the engine.
// Codes and texts are EdgeLake's (status-table.ts); a failed command is a value, never an exception that escapes
// the engine: handlers may throw CommandError, the dispatcher turns it into a CommandResult.
import { STATUS_TABLE } from './status-table.js';

/** The codes the engine names directly. The full table (with every text) is STATUS_TABLE. */
export const Status = {
  EXIT: -1,
  SUCCESS: 0,
  UNRECOGNIZED: 1,
  COMMAND_STRUCT: 2,
  PROCESS_FAILURE: 3,
  IO_ERROR: 4,
  DBMS_NAME: 5,
  WRONG_JSON: 6,
  DATA_SIZE_LARGER_THAN_BUFFER: 9,
  DBMS_NOT_OPENED: 10,
  FILE_DOES_NOT_EXIST: 12,
  SQL_FAILURE: 16,
  SOURCE_IP_PORT: 21,
  TIMEOUT: 26,
  JSON_TO_INSERT: 27,
  TABLE_NAME: 28,
  NO_METADATA_INFO: 29,
  BLOCKCHAIN_OPERATION_FAILED: 30,
  DIR_DOES_NOT_EXIST: 35,
  DBMS_NOT_CONNECTED: 50,
  REST_CALL_ERR: 51,
  DIRECTORY_NOT_WRITEABLE: 63,
  COMPRESSION_FAILED: 65,
  ANALYZE_JSON: 67,
  DUPLICATE_OBJECT_ID: 70,
  MISSING_PAR_INFO: 79,
  DROP_PARTITION_FAILED: 80,
  CONNECTION_ERROR: 81,
  NO_PARTITION_DECLARATION: 82,
  DUPLICATE_JSON_FILE: 86,
  WRONG_POLICY_STRUCTURE: 87,
  POLICY_NOT_AVAILABLE: 113,
  MISSING_ID_IN_POLICY: 170,
  MISSING_SCRIPT: 112,
  WRONG_FILE_TYPE: 115,
  FILE_NAME_STRUCT: 119,
  TABLE_EXCLUDED: 130,
  PROCESS_ALREADY_RUNNING: 136,
  NOT_IN_COMMANDS: 141,
  FAILED_TO_DETERMINE_DEST: 155,
  IP_PORT_NOT_UNIQUE: 149,
  WRONG_HTTP_METHOD: 156,
  NON_UNIQUE_POLICY_VALUES: 180,
  OPERATOR_NOT_ENABLED: 192,
  NETWORK_CONNECTION_FAILED: 208,
  NON_UNIQUE_POLICY: 215,
  WRONG_PORT_VALUE: 221,
} as const;

export function statusText(code: number): string {
  return STATUS_TABLE.get(code)?.[1] ?? `Error code ${code}`;
}

export function statusName(code: number): string {
  return STATUS_TABLE.get(code)?.[0] ?? `ERR_${code}`;
}

/**
 * A command failure a user can act on. `code` is EdgeLake's return code (what the CLI prints and REST reports as
 * err_code/err_text); `detail` is our precise message naming the token, option, file or position (EdgeLake's
 * `local_msg`), shown beside the code text so the user knows what to fix.
 */
export class CommandError extends Error {
  readonly code: number;
  readonly detail: string | undefined;
  constructor(code: number, detail?: string) {
    super(detail ? `${statusText(code)}: ${detail}` : statusText(code));
    this.name = 'CommandError';
    this.code = code;
    this.detail = detail;
  }
}
