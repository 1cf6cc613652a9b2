// How every end-to-end test launches Debian's Chromium under playwright-core
// (see TOOLCHAIN.md): headless, as root, and without the background traffic
// that a closed network refuses. CHROMIUM_PATH points elsewhere if needed.
// Usage: `chromium.launchPersistentContext(freshProfileDir, chromiumLaunchOptions)`.
export const chromiumLaunchOptions = {
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  headless: true,
  args: [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
  ],
};
