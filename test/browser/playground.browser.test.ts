/**
 * A person in a real browser: headless Chromium (Debian's package, driven by playwright-core; no
 * browser download) opens the Agents Playground of `tsumiki serve` in local mode, is welcomed,
 * types into the compose box and reads the answer. Run with `npm run test:browser`; CI runs it
 * after installing Chromium. A screenshot is left in var/screenshots/ for people to look at.
 */
import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { exited, REPO_ROOT, startServe } from '../helpers/spawn-tsumiki';
import { tempDir } from '../helpers/test-core';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

jest.setTimeout(120_000);
jest.retryTimes(1, { logErrorsBeforeRetry: true });

describe('the Agents Playground in a browser', () => {
  const dir = tempDir();
  let browser: Browser | undefined;

  afterAll(async () => {
    await browser?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('welcomes the person and answers what they type', async () => {
    if (!fs.existsSync(CHROMIUM)) throw new Error(`Chromium not found at ${CHROMIUM}: apt-get install -y chromium (or set CHROMIUM_PATH)`);
    const { child, match } = await startServe(
      { NODE_ENV: 'development', PORT: '0', TSUMIKI_DB: path.join(dir, 'tsumiki.db'), TSUMIKI_DEFAULT_LOCALE: 'en' },
      /Open (http:\/\/127\.0\.0\.1:\d+) to chat/,
    );
    try {
      browser = await chromium.launch({
        executablePath: CHROMIUM,
        args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-quic', '--no-first-run', '--disable-component-update', '--disable-sync'],
      });
      const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
      await page.goto(match[1]!, { waitUntil: 'networkidle' });
      // Installing the app in the playground greets the person with the purpose notice and help.
      await page.getByText('What Tsumiki can do').first().waitFor({ timeout: 20_000 });
      await page.getByText('How your data is handled').first().waitFor();

      await page.locator('[data-lexical-editor="true"]').click();
      await page.keyboard.type('trainings AWS');
      await page.keyboard.press('Enter');
      await page.getByText('Trainings related to “AWS”').first().waitFor({ timeout: 20_000 });
      await page.getByRole('link', { name: /AWS/ }).first().waitFor();

      const shots = path.join(REPO_ROOT, 'var', 'screenshots');
      fs.mkdirSync(shots, { recursive: true });
      await page.screenshot({ path: path.join(shots, 'playground.png') });
    } finally {
      child.kill('SIGTERM');
      await exited(child);
    }
  });
});
