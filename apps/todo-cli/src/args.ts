import {CliError} from './cliError';

export const COMMANDS = ['add', 'list', 'done', 'rm', 'watch', 'help'] as const;
export type Command = (typeof COMMANDS)[number];

export type ParsedArgs = {command: Command; operands: string[]; file?: string};

const isCommand = (word: string): word is Command => (COMMANDS as readonly string[]).includes(word);

/**
 * Reads `[--file <path>] <command> [operands]` (the flag may come anywhere, also as
 * `--file=<path>`; `--help`/`-h` mean `help`; `--` ends the flags).
 *
 * @example
 * ```ts
 * parseArgs(['--file', 'a.json', 'add', 'Buy', 'milk']);
 * // {command: 'add', operands: ['Buy', 'milk'], file: 'a.json'}
 * ```
 */
export const parseArgs = (argv: string[]): ParsedArgs => {
  const words: string[] = [];
  let file: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--') {
      words.push(...argv.slice(i + 1));
      break;
    } else if (arg === '--file') {
      file = argv[++i];
      if (file === undefined || file === '') {
        throw new CliError('--file needs a path (usage: x-todo --file <path> <command>)', 2);
      }
    } else if (arg.startsWith('--file=')) {
      file = arg.slice('--file='.length);
      if (file === '') {
        throw new CliError('--file needs a path (usage: x-todo --file <path> <command>)', 2);
      }
    } else if (arg === '--help' || arg === '-h') {
      words.unshift('help');
    } else if (arg.startsWith('-') && words.length === 0) {
      throw new CliError(`unknown option "${arg}" (try: x-todo help)`, 2);
    } else {
      words.push(arg);
    }
  }
  const [command, ...operands] = words;
  if (command === undefined) {
    throw new CliError(`missing command (try: ${COMMANDS.join(', ')})`, 2);
  }
  if (!isCommand(command)) {
    throw new CliError(`unknown command "${command}" (try: ${COMMANDS.join(', ')})`, 2);
  }
  return file === undefined ? {command, operands} : {command, operands, file};
};

export const USAGE = `x-todo: a todo list kept in one JSON file

usage: x-todo [--file <path>] <command>
  add <text>   add a todo
  list         show all todos
  done <id>    mark a todo done
  rm <id>      remove a todo
  watch        show the list live, as other processes change it (Ctrl-C to stop)
  help         show this

data file: --file <path>, else $TODO_FILE, else $XDG_DATA_HOME/x-todo/todos.json
           (XDG_DATA_HOME defaults to ~/.local/share)`;
