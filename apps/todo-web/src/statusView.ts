// Shows what the persister is doing, so that a save that fails (a full quota,
// say) is visible: 'saving', 'saved', or 'error' until a save goes through.
import type {Persister} from '@x/persister';

export type StatusView = {
  /** Give this to the persister as its onIgnoredError. */
  onError(error: unknown): void;
  /** Starts following the persister's status. */
  follow(persister: Persister): void;
};

const describeError = (error: unknown): string => {
  if (error instanceof DOMException && error.name === 'QuotaExceededError') {
    return 'storage is full';
  }
  return error instanceof Error ? error.message : String(error);
};

export const createStatusView = (element: HTMLElement): StatusView => {
  let failing = false;
  let failedThisRound = false;
  const show = (state: string, text: string) => {
    element.dataset.state = state;
    element.textContent = text;
  };
  return {
    onError: (error) => {
      console.error(error);
      failing = true;
      failedThisRound = true;
      show(
        'error',
        `Not saved: ${describeError(error)}. Your changes stay in this tab and are saved when there is room.`,
      );
    },
    follow: (persister) => {
      persister.addStatusListener((_, status) => {
        if (status !== 0) {
          failedThisRound = false;
          if (!failing) {
            show(status === 2 ? 'saving' : 'loading', status === 2 ? 'saving…' : 'loading…');
          }
        } else if (!failedThisRound) {
          failing = false;
          show('saved', 'all changes saved');
        }
      });
    },
  };
};
