// One thing at a time: every load, save and scheduled action of a persister
// runs in this queue, in the order it was added.

export type TaskQueue = {
  /** Runs `task` after every earlier task; resolves when it ends, never rejects. */
  add(task: () => unknown): Promise<void>;
};

/** A serial queue; a task that throws is reported and the queue goes on. */
export const createTaskQueue = (report: (error: unknown) => void): TaskQueue => {
  let tail: Promise<void> = Promise.resolve();
  return {
    add(task) {
      tail = tail.then(async () => {
        try {
          await task();
        } catch (error) {
          report(error);
        }
      });
      return tail;
    },
  };
};
