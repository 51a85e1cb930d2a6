import { execFile } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SOURCES_ON } from '../stack/sourcesOn.ts';
import { COLLECTIONS } from '../../shared/store/db.ts';
import type { BackfillRun } from './backfillRun.ts';

/**
 * The status page as a person sees it: after the shared backfill (backfillRun.ts),
 * Debian's chromium, headless through playwright-core, loads GET /
 * at a phone's width. What the page shows (months done, contracts, heatmap cells, set-aside counts)
 * is what MongoDB holds; an operator's pause through POST /admin/pause (the RateGate Durable Object
 * under workerd) appears on it and goes with /admin/resume; `npm run status` draws the same. A
 * screenshot is left in test-output/ (ignored by git).
 */
const CHROMIUM = '/usr/bin/chromium';
const root = resolve(import.meta.dirname, '../..');
const outputDir = join(root, 'test-output');

export function describeStatusPage(run: BackfillRun): void {
  describe('the status page in headless chromium', () => {
    let browser: Browser;
    let page: Page;
    beforeAll(async () => {
      browser = await chromium.launch({ executablePath: CHROMIUM });
      // A phone: 390 CSS pixels wide.
      page = await browser.newPage({ viewport: { width: 390, height: 844 } });
    });
    afterAll(async () => {
      // What the Worker said about its HTTP answers, if anything went wrong.
      const notable = run.stack?.worker.output().split('\n').filter((line) => /GET \/|POST \/admin|ERROR|Error/.test(line) && !line.includes('ENOTFOUND'));
      if (notable?.length) console.log(notable.slice(-30).join('\n'));
      await browser?.close();
    });

    const admin = async (path: string, body: unknown) => {
      const response = await fetch(`${run.stack.worker.url}${path}`, { method: 'POST', headers: { authorization: `Bearer ${run.stack.adminToken}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
      expect(response.status, await response.clone().text()).toBe(200);
    };

    /** A figure the page shows for a source (its raw number, `data-value`). */
    const figure = (source: string, name: string) => page.locator(`section[data-source="${source}"] [data-figure="${name}"]`).getAttribute('data-value').then(Number);

    it('shows per source the months done and contracts that MongoDB holds, and a heatmap cell per month window', async () => {
      const asked = Date.now();
      const status = await fetch(`${run.stack.worker.url}/status`, { signal: AbortSignal.timeout(60_000) });
      console.log(`GET /status answered ${status.status} in ${Date.now() - asked} ms`);
      expect(status.status, await status.clone().text()).toBe(200);
      const response = await page.goto(`${run.stack.worker.url}/`);
      expect(response?.status()).toBe(200);
      expect(await page.title()).toBe('tender-sync status');

      for (const source of SOURCES_ON) {
        const windows = run.stack.db.collection(COLLECTIONS.syncJobs);
        const months = await windows.countDocuments({ kind: 'window', source, span: 'month' });
        expect(months).toBeGreaterThanOrEqual(6);
        expect(await figure(source, 'windows-total')).toBe(months);
        expect(await figure(source, 'windows-done')).toBe(await windows.countDocuments({ kind: 'window', source, span: 'month', state: 'done' }));
        expect(await figure(source, 'contracts')).toBe(await run.stack.db.collection(COLLECTIONS.contracts).countDocuments({ source }));
        expect(await figure(source, 'contracts')).toBeGreaterThan(100);
        expect(await page.locator(`section[data-source="${source}"] td[data-state="done"]`).count()).toBe(months);
        // Everything was stored within the last hour: the rate shows it.
        expect(await figure(source, 'releases-per-hour')).toBeGreaterThan(0);
        await expect.poll(() => page.locator(`section[data-source="${source}"] [data-figure="blocked"]`).count()).toBe(0);
      }
      expect(Number(await page.locator('[data-figure="quarantine-count"]').getAttribute('data-value'))).toBe(await run.stack.db.collection(COLLECTIONS.quarantine).countDocuments());
      expect(Number(await page.locator('[data-figure="dead-letters-count"]').getAttribute('data-value'))).toBe(await run.stack.db.collection(COLLECTIONS.deadLetters).countDocuments({ state: { $ne: 'replayed' } }));
    });

    it('fits a phone: nothing wider than the screen', async () => {
      await page.goto(`${run.stack.worker.url}/`);
      expect(await page.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390);
      mkdirSync(outputDir, { recursive: true });
      await page.screenshot({ path: join(outputDir, 'status-page.png'), fullPage: true });
    });

    it("shows an operator's pause, set and lifted through the admin endpoints on the Durable Object", async () => {
      await admin('/admin/pause', { source: 'CONTRACTS_FINDER', reason: 'e2e: checking the page' });
      await page.goto(`${run.stack.worker.url}/`);
      expect(await page.locator('section[data-source="CONTRACTS_FINDER"] [data-figure="paused"]').count()).toBe(1);
      expect(await page.locator('section[data-source="CONTRACTS_FINDER"]').innerText()).toContain('e2e: checking the page');
      expect(await page.locator('section[data-source="FIND_A_TENDER"] [data-figure="paused"]').count()).toBe(0);
      await page.screenshot({ path: join(outputDir, 'status-page-paused.png'), fullPage: true });

      await admin('/admin/resume', { source: 'CONTRACTS_FINDER' });
      await page.goto(`${run.stack.worker.url}/`);
      expect(await page.locator('[data-figure="paused"]').count()).toBe(0);
    });

    it('npm run status draws the same figures in the terminal', async () => {
      const { stdout } = await promisify(execFile)(process.execPath, [join(root, 'scripts/status.ts'), run.stack.worker.url], { env: { ...process.env, NO_COLOR: '1' } });
      for (const source of SOURCES_ON) {
        const months = await run.stack.db.collection(COLLECTIONS.syncJobs).countDocuments({ kind: 'window', source, span: 'month' });
        const contracts = await run.stack.db.collection(COLLECTIONS.contracts).countDocuments({ source });
        expect(stdout).toMatch(new RegExp(`${source}\\n  months   \\[█{30}\\] 100% ${months}/${months}\\n`));
        expect(stdout).toContain(`${contracts.toLocaleString('en-GB')} contracts`);
      }
    });
  });
}
