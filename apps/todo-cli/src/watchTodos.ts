// `x-todo watch`: the list, printed again whenever the data file changes (another
// process, an editor). Stops cleanly on SIGINT/SIGTERM.
import {CliError, oneLine} from './cliError';
import {openTodos} from './openTodos';
import {formatTodos, listTodos, summarize} from './todos';

const CLEAR_SCREEN = '\x1b[2J\x1b[H';

/** Runs until SIGINT or SIGTERM; resolves then, after the watcher is closed. */
export const watchTodos = async (filePath: string): Promise<void> => {
  const {store, persister} = await openTodos(filePath, (error) => {
    // The file may be mid-edit or broken for a while: say so and keep watching.
    process.stderr.write(`x-todo: ${oneLine(error)}\n`);
  });
  const render = () => {
    const todos = listTodos(store);
    const time = new Date().toTimeString().slice(0, 8);
    const header = `-- ${summarize(todos)} (${time}, watching ${filePath}) --`;
    process.stdout.write(
      `${process.stdout.isTTY ? CLEAR_SCREEN : ''}${header}\n${formatTodos(todos)}\n`,
    );
  };
  render();
  store.addTablesListener(render);
  await persister.startAutoLoad();
  if (!persister.isAutoLoading()) {
    throw new CliError(`could not watch ${filePath}`);
  }
  await new Promise<void>((resolve) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  await persister.destroy();
  process.stdout.write('-- stopped watching --\n');
};
