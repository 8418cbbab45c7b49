import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';

const CHROMIUM_CANDIDATES = [process.env['STRONGROOM_CHROMIUM'], '/usr/bin/chromium', '/usr/bin/chromium-browser'].filter(
  (path): path is string => path !== undefined && path !== '',
);

/** Headless Chromium as this machine (and CI's container) runs it: no sandbox as root, nothing that phones home. */
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/** Whether Debian's Chromium is here: `skip` is a message for the test's skip option, or false. */
export const browserAvailable: { readonly skip: string | false; readonly executablePath: string } = findChromium();

function findChromium(): { skip: string | false; executablePath: string } {
  const executablePath = CHROMIUM_CANDIDATES.find((path) => existsSync(path));
  if (executablePath) return { skip: false, executablePath };
  const message = 'no Chromium (/usr/bin/chromium not found): install Debian\'s chromium package, or set STRONGROOM_CHROMIUM';
  if (process.env['STRONGROOM_REQUIRE_CHROMIUM'] === '1' || process.env['CI'] === 'true') {
    throw new Error(`${message}, and this run requires it (STRONGROOM_REQUIRE_CHROMIUM=1 or CI=true)`);
  }
  return { skip: message, executablePath: '' };
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: browserAvailable.executablePath, args: CHROMIUM_ARGS });
}

/** Where screenshots go (`test-output/console/`, ignored by git): looked at by people, asserted by nobody. */
export const SCREENSHOT_DIR = join(process.cwd(), 'test-output', 'console');

export async function screenshot(page: Page, name: string): Promise<void> {
  await mkdir(SCREENSHOT_DIR, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOT_DIR, `${name}.png`), fullPage: true });
}

/**
 * What the page did that the console promises it never does: a request to another origin, a Content-Security-Policy
 * violation, an uncaught error. Collected for the whole session; the test asserts it stays empty.
 */
export function watchForViolations(page: Page, origin: string): string[] {
  const violations: string[] = [];
  page.on('request', (request) => {
    const url = request.url();
    if (!url.startsWith(`${origin}/`) && !url.startsWith('data:') && !url.startsWith('blob:')) violations.push(`request to ${url}`);
  });
  page.on('console', (message) => {
    if (/Content Security Policy|Refused to/i.test(message.text())) violations.push(`CSP: ${message.text()}`);
  });
  page.on('pageerror', (error) => violations.push(`page error: ${error.message}`));
  return violations;
}
