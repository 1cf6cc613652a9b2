import {homedir} from 'node:os';
import {join, resolve} from 'node:path';

/**
 * Where the todos live: the `--file` flag, else `$TODO_FILE`, else
 * `$XDG_DATA_HOME/x-todo/todos.json` (XDG_DATA_HOME defaulting to ~/.local/share).
 *
 * @example
 * ```ts
 * dataFilePath(undefined, {XDG_DATA_HOME: '/data'}); // '/data/x-todo/todos.json'
 * ```
 */
export const dataFilePath = (
  flag: string | undefined,
  env: NodeJS.ProcessEnv = process.env,
  home: string = homedir(),
): string => {
  if (flag) {
    return resolve(flag);
  }
  if (env.TODO_FILE) {
    return resolve(env.TODO_FILE);
  }
  // The XDG spec says a relative XDG_DATA_HOME is invalid and must be ignored.
  const dataHome = env.XDG_DATA_HOME?.startsWith('/')
    ? env.XDG_DATA_HOME
    : join(home, '.local', 'share');
  return join(dataHome, 'x-todo', 'todos.json');
};
