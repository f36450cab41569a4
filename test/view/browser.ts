/**
 * Headless Chromium from Debian's package (/usr/bin/chromium), driven by playwright-core. Every
 * request is routed: file:// and the given local server pass, anything else is aborted and
 * recorded (the test fails on it). Console errors and page errors are recorded too.
 */
import fs from 'node:fs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { chromium } from 'playwright-core';

export const CHROMIUM = process.env.RUNR_CHROMIUM ?? '/usr/bin/chromium';

/** Why the browser tests cannot run here, or null. CI installs chromium (.ci/run), so there a missing browser is a failure, not a skip. */
export function browserMissing(): string | null {
  if (fs.existsSync(CHROMIUM)) return null;
  if (process.env.CI !== undefined && process.env.CI !== '' && process.env.CI !== 'false') throw new Error(`${CHROMIUM} is missing in CI (.ci/run installs it with apt-get)`);
  return `browser tests skipped: ${CHROMIUM} is not installed (apt-get install -y chromium)`;
}

export interface Session {
  browser: Browser;
  context: BrowserContext;
  page: Page;
  blocked: string[];
  errors: string[];
  close: () => Promise<void>;
}

export async function openSession(allowOrigin: string | null = null): Promise<Session> {
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-background-networking', '--disable-component-update'],
  });
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, colorScheme: 'light' });
  const blocked: string[] = [];
  const errors: string[] = [];
  await context.route('**/*', async (route) => {
    const url = route.request().url();
    if (url.startsWith('file://') || (allowOrigin !== null && url.startsWith(allowOrigin))) await route.continue();
    else {
      blocked.push(url);
      await route.abort();
    }
  });
  const page = await context.newPage();
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(`console: ${m.text()}`);
  });
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  return { browser, context, page, blocked, errors, close: () => browser.close() };
}
