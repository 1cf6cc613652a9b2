// Waits until the persister has nothing in flight: its status stays idle over
// a few timer turns (autosaves start on a later tick than the change).
import type {Persister} from '@x/persister';

export const waitIdle = async (persister: Persister, turns = 3): Promise<void> => {
  let idleTurns = 0;
  for (let attempt = 0; attempt < 200 && idleTurns < turns; attempt++) {
    await new Promise((resolve) => setTimeout(resolve, 5));
    idleTurns = persister.getStatus() === 0 ? idleTurns + 1 : 0;
  }
};
