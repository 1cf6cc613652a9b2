// Several tabs of one browser sharing one storage area, as happy-dom cannot
// show them (its Storage fires no 'storage' events). Each tab has its own
// window and its own Storage object on the shared area, as in a browser; a
// write by one tab queues a StorageEvent, as a task, in every other tab's
// window, carrying that tab's Storage object as `storageArea`.
import {Window} from 'happy-dom';

export type Tab = {
  /** This tab's Storage object (writes through it notify the other tabs). */
  storage: Storage;
  /** Where this tab's 'storage' events arrive. */
  window: Pick<typeof globalThis, 'addEventListener' | 'removeEventListener' | 'dispatchEvent'>;
};

type TabWindow = Tab['window'] & {StorageEvent?: typeof StorageEvent; close?: () => void};

/**
 * Tabs on `area` (the real happy-dom Storage, which holds the data). The
 * first tab is the test's own window; every later one is a new happy-dom Window.
 *
 * @example
 * ```ts
 * const [first, second] = createTabs(localStorage, 2);
 * first.storage.setItem('k', 'v'); // a 'storage' event reaches second.window soon after
 * ```
 */
export const createTabs = (area: Storage, count: number): {tabs: Tab[]; close(): void} => {
  const tabs: Tab[] = [];
  const windows: TabWindow[] = [];
  const notifyOthers = (from: Tab, key: string | null, oldValue: string | null) => {
    const newValue = key === null ? null : area.getItem(key);
    for (const tab of tabs) {
      if (tab === from) continue;
      const EventClass = (tab.window as TabWindow).StorageEvent ?? StorageEvent;
      const event = new EventClass('storage', {
        key,
        oldValue,
        newValue,
        storageArea: tab.storage,
        url: 'http://localhost/',
      });
      // A browser queues the event as a task in each other tab.
      setTimeout(() => tab.window.dispatchEvent(event), 0);
    }
  };
  const createTabStorage = (getTab: () => Tab): Storage => ({
    get length() {
      return area.length;
    },
    key: (index: number) => area.key(index),
    getItem: (key: string) => area.getItem(key),
    setItem(key: string, value: string) {
      const oldValue = area.getItem(key);
      area.setItem(key, value);
      if (oldValue !== value) notifyOthers(getTab(), key, oldValue);
    },
    removeItem(key: string) {
      const oldValue = area.getItem(key);
      area.removeItem(key);
      if (oldValue !== null) notifyOthers(getTab(), key, oldValue);
    },
    clear() {
      area.clear();
      notifyOthers(getTab(), null, null);
    },
  });
  for (let index = 0; index < count; index++) {
    const window: TabWindow =
      index === 0 ? (globalThis as unknown as TabWindow) : (new Window() as unknown as TabWindow);
    windows.push(window);
    const tab: Tab = {window, storage: createTabStorage(() => tab)};
    tabs.push(tab);
  }
  return {
    tabs,
    close: () => {
      for (const window of windows.slice(1)) window.close?.();
    },
  };
};
