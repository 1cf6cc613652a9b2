#!/usr/bin/env node
// x-todo: a todo list in one JSON file. See `x-todo help`.
import {parseArgs, USAGE} from './args';
import {CliError, oneLine} from './cliError';
import {dataFilePath} from './dataFile';
import {changeTodos, openTodos} from './openTodos';
import {addTodo, formatTodos, getTodo, listTodos, TODOS} from './todos';
import {watchTodos} from './watchTodos';

const requireId = (operands: string[], command: string): string => {
  if (operands.length === 0) {
    throw new CliError(`missing id (usage: x-todo ${command} <id>)`, 2);
  }
  if (operands.length > 1) {
    throw new CliError(`one id at a time (usage: x-todo ${command} <id>)`, 2);
  }
  return operands[0];
};

const run = async (argv: string[]): Promise<void> => {
  const {command, operands, file} = parseArgs(argv);
  const filePath = dataFilePath(file);
  const print = (text: string): void => {
    process.stdout.write(`${text}\n`);
  };
  switch (command) {
    case 'help':
      return print(USAGE);
    case 'add': {
      const text = operands.join(' ').trim();
      if (text === '') {
        throw new CliError('missing text (usage: x-todo add <text>)', 2);
      }
      const todo = await changeTodos(
        filePath,
        () => {},
        (store) => addTodo(store, text),
      );
      return print(`added #${todo.id}: ${todo.text}`);
    }
    case 'list': {
      const {store, persister} = await openTodos(filePath);
      await persister.destroy();
      return print(formatTodos(listTodos(store)));
    }
    case 'done': {
      const id = requireId(operands, 'done');
      const todo = await changeTodos(
        filePath,
        (store) => getTodo(store, id),
        (store) => {
          store.setCell(TODOS, id, 'done', true);
          return getTodo(store, id);
        },
      );
      return print(`done #${todo.id}: ${todo.text}`);
    }
    case 'rm': {
      const id = requireId(operands, 'rm');
      const todo = await changeTodos(
        filePath,
        (store) => getTodo(store, id),
        (store) => {
          const removed = getTodo(store, id);
          store.delRow(TODOS, id);
          return removed;
        },
      );
      return print(`removed #${todo.id}: ${todo.text}`);
    }
    case 'watch':
      if (operands.length > 0) {
        throw new CliError('watch takes no arguments (usage: x-todo watch)', 2);
      }
      return watchTodos(filePath);
  }
};

run(process.argv.slice(2)).then(
  () => {
    process.exitCode = 0;
  },
  (error: unknown) => {
    process.stderr.write(`x-todo: ${oneLine(error)}\n`);
    process.exitCode = error instanceof CliError ? error.exitCode : 1;
  },
);
