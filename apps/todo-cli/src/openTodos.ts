// One store on the data file. Every error the persister reports is collected, so a
// command can stop with a one-line message instead of working on a store it could not load.
import {createFilePersister, type FilePersister} from '@x/persister-file';
import {createStore, type Store} from '@x/store';
import {CliError, oneLine} from './cliError';
import {withCommandLock} from './commandLock';

export type OpenTodos = {store: Store; persister: FilePersister; takeErrors: () => unknown[]};

/** Loads the data file (a missing file is an empty list); a CliError if it cannot be read. */
export const openTodos = async (
  filePath: string,
  onLaterError?: (error: unknown) => void,
): Promise<OpenTodos> => {
  const store = createStore();
  let errors: unknown[] = [];
  let loaded = false;
  const persister = createFilePersister(store, filePath, (error) => {
    if (loaded && onLaterError) {
      onLaterError(error);
    } else {
      errors.push(error);
    }
  });
  const takeErrors = () => {
    const taken = errors;
    errors = [];
    return taken;
  };
  await persister.load();
  const [loadError] = takeErrors();
  if (loadError !== undefined) {
    await persister.destroy();
    throw new CliError(
      `${oneLine(loadError)} — the file was left as it is; fix it or move it away`,
    );
  }
  loaded = true;
  return {store, persister, takeErrors};
};

/**
 * Loads, checks, changes and saves, holding the command lock throughout (so two adds
 * never pick the same number): `check` runs before anything is written (so a bad id
 * writes nothing). If another process wrote the file since the load, the persister reloads
 * it and applies `change`'s edits on top before saving, so neither side's edits are lost.
 */
export const changeTodos = async <Result>(
  filePath: string,
  check: (store: Store) => void,
  change: (store: Store) => Result,
): Promise<Result> =>
  withCommandLock(filePath, async () => {
    const {store, persister, takeErrors} = await openTodos(filePath);
    try {
      check(store);
    } catch (error) {
      await persister.destroy();
      throw error;
    }
    const result = change(store);
    await persister.save(); // on disk, or failed and reported, when this resolves
    await persister.destroy();
    const [saveError] = takeErrors();
    if (saveError !== undefined) {
      throw new CliError(`could not save ${filePath}: ${oneLine(saveError)}`);
    }
    return result;
  });
