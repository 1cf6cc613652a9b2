// happy-dom runs one window and its Storage fires no 'storage' events at all
// (a real browser fires them only in OTHER tabs). So a write "from another tab"
// is the setItem that tab would do plus the StorageEvent the browser would then
// dispatch in this window, built with the same fields a browser fills in.

/** Writes `newValue` (or removes the key, for `null`) as another tab would. */
export const writeFromOtherTab = (
  storage: Storage,
  key: string | null,
  newValue: string | null,
) => {
  const oldValue = key === null ? null : storage.getItem(key);
  if (key === null) {
    storage.clear();
  } else if (newValue === null) {
    storage.removeItem(key);
  } else {
    storage.setItem(key, newValue);
  }
  window.dispatchEvent(
    new StorageEvent('storage', {
      key,
      oldValue,
      newValue,
      storageArea: storage,
      url: window.location.href,
    }),
  );
};
