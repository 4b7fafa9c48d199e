// Types shared by the engine, the Electron shell, the preload, the headless bridge and the console.
// This folder imports nothing from node:, the DOM or electron (it is checked by lint).

export type ProcessStatus = 'Running' | 'Not declared';

export interface ProcessInfo {
  name: string;
  status: ProcessStatus;
  /** The Details column of `get processes` ('' when empty). */
  details: string;
  /** false for the seed services EdgeLake itself does not list (Publisher, Distributor, Consumer). */
  edgelake: boolean;
  /** Command the console runs for Start, when the process is not running and can be started. */
  startCommand?: string | undefined;
  /** What it is doing now (console only), e.g. the TCP server's open connections and messages. */
  activity?: string | undefined;
  /** Command the console runs for Stop, when the process runs. */
  stopCommand?: string | undefined;
}

/** How a command's result is represented, before it is rendered for a destination. */
export type CommandOutput =
  | { kind: 'none' }
  /** Text printed as is, on the CLI and over REST (e.g. `get status`, text tables). */
  | { kind: 'text'; text: string }
  /** A JSON value: REST sends Python-style json.dumps text, the CLI shows EdgeLake's struct display. */
  | { kind: 'json'; value: unknown }
  /** `print`/`echo`/`!x`: the CLI frames it in quotes between blank lines; REST returns the bare text. */
  | { kind: 'print'; text: string }
  /** A one-line structure EdgeLake's CLI breaks after each comma (its print_row); REST returns the bare text. */
  | { kind: 'row'; text: string }
  /**
   * Rows and columns: the CLI and REST get EdgeLake's text table, the console the rows themselves. With
   * `where format = json` the command answers `json` (default: one object per row, keyed by column title).
   */
  | TableOutput;

export type TableCell = string | number | boolean | null;

export interface TableOutput {
  kind: 'table';
  /** Titles; a '\n' splits a title over two lines (EdgeLake's two-line titles). */
  columns: string[];
  rows: TableCell[][];
  /** A line printed before the titles (e.g. `Active DBMS Connections`). */
  header?: string;
  /** Prefix of every line (get processes: 4 spaces). */
  linePrefix?: string;
  /** Capitalize the first letter of each title (bring.table). */
  capitalTitle?: boolean;
  /** Text printed after the table (a footer line). */
  footer?: string;
  /** What `where format = json` answers, when it is not one object per row. */
  json?: unknown;
}

/** The outcome of one command, as the console receives it. */
export interface CommandReply {
  /** The rows of a table result, for the console's table view (the CLI text is in `text`). */
  table?: { columns: string[]; rows: TableCell[][] };
  /** EdgeLake return code: 0 is success. */
  code: number;
  /** Code name and text from EdgeLake's table when code != 0. */
  errorText?: string | undefined;
  /** Our detailed message (names the token, option or file) when code != 0. */
  detail?: string | undefined;
  /** Exactly what EdgeLake's CLI would print for this command. */
  text: string;
  /** The structured value when the command produced JSON (the console shows it as a tree). */
  json?: unknown;
}

export interface NodeInfo {
  nodeName: string;
  home: string;
  version: string;
  consoleUrl?: string | undefined;
}

/** One row of tsd_info as the console shows it. */
export interface TsdRow {
  id: number;
  dbms: string;
  table: string;
  source: string;
  hash: string;
  instructions: string;
  /** UTC `YYYY-MM-DD HH:MM:SS.ffffff`. */
  date: string;
  rows: number;
  status1: string;
  status2: string;
}

export type TsdSortColumn = 'id' | 'dbms' | 'table' | 'source' | 'date' | 'rows';

export interface TsdPage {
  rows: TsdRow[];
  /** Rows matching the filter (for paging), up to a cap. */
  total: number;
  /** More rows match than `total` says (the count stops at a cap). */
  totalCapped: boolean;
  page: number;
  pageSize: number;
}

/** Where a recorded file came from and where it went. */
export interface TsdLineage {
  row: TsdRow;
  /** The file name's segments, named. */
  segments: { name: string; value: string }[];
  /** The archived file, when it is in the archive. */
  archivePath?: string | undefined;
  archived: boolean;
}

/** A file in the error directory with the reason the operator gave. */
export interface ErrorFile {
  /** Its name in the error directory. */
  file: string;
  /** The name it had in the watch directory (replay puts it back under this name). */
  source: string;
  code: number;
  /** EdgeLake's text for the code (the cause the panel groups by). */
  error: string;
  reason: string;
  time: string;
  size: number;
  /** What the operator moved there: a file, or a directory or link refused from the watch directory (no replay). */
  kind: 'file' | 'directory' | 'link';
}

export interface ErrorFileContent {
  file: string;
  content: string;
  /** Only the first part is shown for large files. */
  truncated: boolean;
}

/** One level of the archive: YY, YY/MM or YY/MM/DD. */
export interface ArchiveListing {
  path: string;
  directories: string[];
  files: { name: string; size: number; time: string }[];
}

/** What re-ingesting an archived file would do, shown before it is done. */
export interface ReingestPlan {
  /** The archived file (YY/MM/DD/name). */
  path: string;
  /** The name it goes back to the watch directory under: dbms.table.source.hash.instructions, its identity kept. */
  reingestAs: string;
  dbms: string;
  table: string;
  hash: string;
  /** Rows the file holds: what it adds when it is not a duplicate. */
  rows: number;
  /** tsd_info's record of this hash: the file was ingested, and re-ingest is refused as a duplicate. */
  recorded?: { id: number; time: string; rows: number } | undefined;
  /** tsd_info exists (almgm connected and the table created): without it duplicates cannot be detected. */
  tsdInfo: boolean;
  operatorRunning: boolean;
}

/** Re-ingest's answer: copied back for the operator (its outcome follows as an `operator:files` event), or refused. */
export type ReingestResult =
  | { status: 'queued'; reingestedAs: string; rows: number }
  | { status: 'duplicate'; message: string };

/** A file the operator finished with (pushed to the console; retries are not finished). */
export interface FileOutcome {
  /** Its name in the watch directory. */
  file: string;
  status: 'ingested' | 'failed';
  dbms?: string | undefined;
  table?: string | undefined;
  /** Rows stored (ingested). */
  rows?: number | undefined;
  /** EdgeLake's error code and the reason (failed); 86 is a duplicate. */
  code?: number | undefined;
  reason?: string | undefined;
}

/** One second of operator work (the Operator Stats panel keeps the last hour). */
export interface OperatorSample {
  /** Epoch seconds. */
  t: number;
  files: number;
  rows: number;
  errors: number;
}

export interface OperatorStats {
  running: boolean;
  series: OperatorSample[];
}

/** A policy of the ledger as the console lists it. */
export interface PolicyEntry {
  type: string;
  id: string;
  /** Its `name` attribute ('' when it has none). */
  name: string;
  /** `local` or `global` (where the policy was inserted), '' when absent. */
  ledger: string;
  policy: Record<string, Record<string, unknown>>;
}

export interface PolicyList {
  policies: PolicyEntry[];
  /** Lines of the ledger file that are not policies (skipped). */
  problems: { line: number; reason: string }[];
}

/** A policy checked as `blockchain insert` would check it, without inserting it (or the result of inserting it). */
export interface PolicyCheck {
  ok: boolean;
  /** The policy as it is (or would be) stored: id, date and the attributes the node adds. */
  policy?: Record<string, Record<string, unknown>> | undefined;
  /** EdgeLake's code and text, and our reason naming the problem. */
  error?: { code: number; text: string; detail: string } | undefined;
  /** A policy with the same id already in the ledger (the diff before insert). */
  existing?: PolicyEntry | undefined;
  /** Ids the policy references (an operator's cluster, a cluster's parent) and whether the ledger has them. */
  references: { key: string; id: string; found: boolean }[];
}

export interface TopologyOperator {
  id: string;
  name: string;
  ip: string;
  port: number | string;
  member: number | string;
  /** `this node` when it is this node's running operator, else `unknown` (peers are checked by the network work). */
  status: string;
  policy: Record<string, Record<string, unknown>>;
}

export interface TopologyCluster {
  id: string;
  name: string;
  company: string;
  status: string;
  policy: Record<string, Record<string, unknown>>;
  operators: TopologyOperator[];
  tables: { dbms: string; name: string }[];
}

/** A node the ledger knows (operator, master, query, publisher), for the Network panel. */
export interface PeerEntry {
  type: string;
  name: string;
  company: string;
  /** `ip:port` of its TCP server (what `run client` dials). */
  address: string;
  id: string;
  /** This node itself (its TCP server runs at that address). */
  self: boolean;
}

export interface NetworkView {
  /** This node's TCP server: external, internal and bind addresses, or undefined when it does not run. */
  tcp?: { external: string; internal: string; bind: string } | undefined;
  peers: PeerEntry[];
}

/** A real round trip to a peer (`get status` over the peer protocol). */
export interface PeerCheck {
  address: string;
  reachable: boolean;
  ms: number;
  /** The peer's status line, or why it could not be reached. */
  detail: string;
}

/** One line of a running script, as it finishes (push event `script:line`). */
export interface ScriptLine {
  /** The script file. */
  file: string;
  /** 1-based line number where the command starts. */
  line: number;
  command: string;
  /** EdgeLake's return code: 0 for success. */
  code: number;
  /** The reason of a failure (or nothing). */
  detail?: string;
}
