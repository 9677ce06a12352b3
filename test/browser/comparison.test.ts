/**
 * Opens comparison.html in a real browser (Debian's chromium, through playwright-core) and checks
 * that a hostile implementation name is shown as text and runs nothing. There is no skip: without
 * /usr/bin/chromium this test fails and says how to install it (`.ci/run` does).
 */
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderComparisonHtml, writeComparison } from '../../src/report/comparison/index.js';
import { HOSTILE, twoReports } from '../expectations/_helpers/reports.js';

const CHROMIUM = '/usr/bin/chromium';

let browser: Browser | undefined;
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'vmbus-browser-'));
  if (!existsSync(CHROMIUM)) return;
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
});

afterAll(async () => {
  await browser?.close();
  await rm(dir, { recursive: true, force: true });
});

describe('comparison.html in chromium', () => {
  it('shows the matrix, the hostile name as text, and runs no script', async () => {
    expect(existsSync(CHROMIUM), `${CHROMIUM} is missing: install Debian's chromium (apt-get install -y chromium), as .ci/run does`).toBe(true);
    const comparison = twoReports();
    await writeComparison(comparison, dir);
    const context = await browser!.newContext({ javaScriptEnabled: true });
    const page = await context.newPage();
    const blocked: string[] = [];
    page.on('console', (message) => {
      if (/Content Security Policy/i.test(message.text())) blocked.push(message.text());
    });
    const requests: string[] = [];
    page.on('request', (request) => requests.push(request.url()));

    const url = pathToFileURL(path.join(dir, 'comparison.html')).href;
    const response = await page.goto(url, { waitUntil: 'load' });
    expect(response?.ok()).toBe(true);
    expect(await page.title()).toBe('VMBus GPADL conformance: comparison');

    const matrix = page.locator('#matrix');
    // Vitest's default 1 s for the poll is one or two round trips to a browser on a loaded machine.
    await expect.poll(() => matrix.isVisible(), { timeout: 30_000 }).toBe(true);
    const ruleCount = comparison.features.reduce((n, f) => n + f.rules.length, 0);
    expect(await matrix.locator('tbody tr.rule').count()).toBe(ruleCount);
    expect(await matrix.locator('thead th').count()).toBe(3 + comparison.implementations.length);
    for (const row of await matrix.locator('tbody tr.rule').all()) {
      expect(await row.locator('th, td').count()).toBe(3 + comparison.implementations.length);
    }

    // The name is the column's text, character for character, and no element came from it.
    expect(await matrix.locator('thead th.impl .name').nth(1).textContent()).toBe(HOSTILE);
    expect(await page.locator('img, script, iframe, object, embed').count()).toBe(0);
    expect(await matrix.locator('tr#rule-MAP-04 td.verdict').nth(1).textContent()).toBe('known failure (fail)');
    expect(await matrix.locator('tr#rule-DEL-01 td.verdict').nth(1).getAttribute('title')).toBe(`Error: ${HOSTILE}`);

    expect(await page.evaluate(() => (globalThis as { __pwned?: unknown }).__pwned)).toBeUndefined();
    // The page asked for nothing but itself.
    expect(requests).toEqual([url]);
    expect(blocked).toEqual([]);
    await context.close();
  });

  it('its Content-Security-Policy alone stops script that escaping had let through', async () => {
    expect(existsSync(CHROMIUM), `${CHROMIUM} is missing: install Debian's chromium (apt-get install -y chromium), as .ci/run does`).toBe(true);
    // Simulate an escaping bug: the hostile markup raw in the body.
    const page = await browser!.newPage();
    const file = path.join(dir, 'broken.html');
    await writeFile(file, renderComparisonHtml(twoReports()).replace('<body>', `<body>${HOSTILE}`), 'utf8');
    await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });
    expect(await page.locator('script').count()).toBe(1);
    expect(await page.evaluate(() => (globalThis as { __pwned?: unknown }).__pwned)).toBeUndefined();
    await page.close();
  });
});
