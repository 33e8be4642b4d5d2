/**
 * Headless Chromium for browser tests: Debian's `chromium` package, driven by playwright-core.
 * Missing, it skips the suites that need it with a loud message, unless CONFSNAP_REQUIRE_SERVICES=1,
 * where it fails them instead (as for the services of `services.ts`).
 */
import { findBinary, servicesRequired } from './services.js';

/** The Chromium executable: $CHROMIUM_PATH, or `chromium` on PATH (Debian: /usr/bin/chromium). */
export function chromiumPath(): string | undefined {
  const fromEnv = process.env.CHROMIUM_PATH;
  if (fromEnv !== undefined && fromEnv !== '') return fromEnv;
  return findBinary('chromium') ?? findBinary('chromium-browser');
}

/** Whether Chromium is there; see the module comment for what happens when it is not. */
export function chromiumAvailable(): boolean {
  if (chromiumPath() !== undefined) return true;
  const message =
    'chromium is missing — install it (Debian: apt-get install chromium) or set CHROMIUM_PATH';
  if (servicesRequired) throw new Error(`${message}; CONFSNAP_REQUIRE_SERVICES=1 forbids skipping`);
  console.warn(
    `\n${'!'.repeat(100)}\n!!! SKIPPING BROWSER TESTS: ${message}\n${'!'.repeat(100)}\n`,
  );
  return false;
}
