import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Page } from 'playwright-core';
import { expect } from 'vitest';
import { CHROMIUM_INSTALL_COMMAND, DEFAULT_CHROMIUM } from '../../scripts/setup-test-tools';

const CHROMIUM = process.env.CHROMIUM_PATH || DEFAULT_CHROMIUM;

/**
 * Opens a local HTML file in headless Debian Chromium (as the workplace runs it: no sandbox, no GPU, no
 * background networking, a fresh profile), hands the page to `check`, then asserts there were no page
 * errors and no network requests. Never skipped: without Chromium it fails with the command that installs it.
 */
export async function checkInChromium(
  htmlPath: string,
  viewport: { width: number; height: number },
  check: (page: Page) => Promise<void>,
): Promise<void> {
  expect(
    existsSync(CHROMIUM),
    `Chromium not found at ${CHROMIUM}: run \`npm run setup\` (as root it runs \`${CHROMIUM_INSTALL_COMMAND}\`), or set CHROMIUM_PATH`,
  ).toBe(true);
  const profile = mkdtempSync(join(tmpdir(), 'bike-retrain-chromium-'));
  const browser = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
    viewport,
  });
  try {
    const page = await browser.newPage();
    const errors: string[] = [];
    const requests: string[] = [];
    page.on('pageerror', (err) => errors.push(err.message));
    page.on('console', (msg) => {
      if (msg.type() === 'error') errors.push(msg.text());
    });
    page.on('request', (req) => requests.push(req.url()));
    await page.goto(`file://${htmlPath}`, { waitUntil: 'load' });
    await check(page);
    expect(errors).toEqual([]);
    expect(requests.filter((u) => !u.startsWith('file://') && !u.startsWith('data:'))).toEqual([]);
  } finally {
    await browser.close();
    rmSync(profile, { recursive: true, force: true });
  }
}
