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
  | { kind: 'print'; text: string };

/** The outcome of one command, as the console receives it. */
export interface CommandReply {
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
