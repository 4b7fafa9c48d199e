// The interpreter with the language's own commands registered: the one place that joins interpreter.ts and
// language-commands.ts (each knows the other only through host.ts).
import type { Dictionary } from './dictionary.js';
import type { InterpreterIo } from './host.js';
import { Interpreter } from './interpreter.js';
import { languageCommands } from './language-commands.js';
import type { CommandTable } from './table.js';

export function createInterpreter(table: CommandTable, dictionary: Dictionary, io: InterpreterIo): Interpreter {
  const interpreter = new Interpreter(table, dictionary, io);
  table.registerAll(languageCommands(interpreter));
  return interpreter;
}
