// The first words of EdgeLake's commands (EdgeLake 1.4.2604's command table, transcripts/command-table.txt): in
// `x = <words>`, a value starting with one of these is a command to run, never text to store.
export const EDGELAKE_COMMAND_WORDS: ReadonlySet<string> = new Set(
  'backup blockchain bucket call config connect continue continuous create debug delete directory disconnect do drop echo else email end event exit file flush from generate get goto help if import incr info job json monitor mqtt next on partition pi print process python query random reset rest return run schedule set sms sql stop stream streaming subprocess suggest system task test thread time trace video wait'.split(' '),
);
