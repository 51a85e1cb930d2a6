import { beforeAll, describe, expect, it, vi } from 'vitest';
import { quarantine } from '../../shared/store/quarantine.ts';
import worker from '../../worker.ts';
import { makeMappedRelease, makeWriteMessage } from '../factories.ts';
import { callWorker } from './callWorker.ts';
import { fakeBatch } from './fakeEnv.ts';
import { handlerStack } from './handlerStack.ts';
import { monthWindow, recordWindow } from './recordWindow.ts';

/**
 * GET /status (JSON) and GET / (the page) through the Worker's entry, on a database laid out by
 * hand and by the real write consumer: every figure (windows, releases, rate, ETA, lag, blocked,
 * paused, heatmap, quarantine and dead letters with their top reasons) is the one the collections
 * and the gates hold, and the page shows the same, self-contained and escaped.
 */
const stack = handlerStack({ prefix: 'h_status', vars: { ADMIN_TOKEN: 'a-token-the-page-never-shows-1' } });
const MINUTE = 60_000;
const newestFts = '2024-03-20T08:00:00.000Z';

beforeAll(async () => {
  // FTS: two months done (40 + 60 releases), one fetching, one pending, one failed; one open delta.
  await recordWindow(stack.db, monthWindow('FIND_A_TENDER', '2024-01'), { state: 'done', releasesWritten: 40 });
  await recordWindow(stack.db, monthWindow('FIND_A_TENDER', '2024-02'), { state: 'done', releasesWritten: 60 });
  await recordWindow(stack.db, monthWindow('FIND_A_TENDER', '2024-03'), { state: 'fetching' });
  await recordWindow(stack.db, monthWindow('FIND_A_TENDER', '2024-04'), { state: 'pending' });
  await recordWindow(stack.db, monthWindow('FIND_A_TENDER', '2024-05'), { state: 'failed', lastError: 'page unreadable' });
  const deltaFrom = new Date('2024-06-01T00:00:00Z');
  await recordWindow(stack.db, { _id: `FIND_A_TENDER:delta:${deltaFrom.toISOString()}`, source: 'FIND_A_TENDER', span: 'delta', from: deltaFrom, to: new Date('2024-06-01T01:00:00Z') });
  await recordWindow(stack.db, { _id: 'FIND_A_TENDER:delta:2024-05-31T23:00:00.000Z', source: 'FIND_A_TENDER', span: 'delta', from: new Date('2024-05-31T23:00:00Z'), to: deltaFrom }, { state: 'done' });
  // CF: one month done, one pending.
  await recordWindow(stack.db, monthWindow('CONTRACTS_FINDER', '2024-01'), { state: 'done', releasesWritten: 10 });
  await recordWindow(stack.db, monthWindow('CONTRACTS_FINDER', '2024-02'), { state: 'pending' });

  // Contracts and window parts as the write consumer stores them: 3 FTS releases and 2 CF ones, now.
  const fts = ['2024-03-02T10:00:00.000Z', newestFts, '2024-03-05T10:00:00.000Z'].map((releaseDate) => makeMappedRelease({ contract: { source: 'FIND_A_TENDER', releaseDate } }));
  const cf = ['2024-02-02T10:00:00.000Z', '2024-02-03T10:00:00.000Z'].map((releaseDate) => makeMappedRelease({ contract: { source: 'CONTRACTS_FINDER', releaseDate } }));
  await worker.queue(fakeBatch('write', [makeWriteMessage({ windowId: 'FIND_A_TENDER:2024-03', releases: fts }), makeWriteMessage({ windowId: 'CONTRACTS_FINDER:2024-02', releases: cf })]), stack.env);

  // Set aside: 3 quarantined for one reason, 1 for a reason that must be escaped on the page; one dead letter.
  const item = (i: number, reason: string) => ({ source: 'FIND_A_TENDER' as const, windowId: 'FIND_A_TENDER:2024-03', pageUrl: `https://fts/p${i}`, reason, index: i });
  await quarantine(stack.db, [item(0, 'tender.id: missing'), item(1, 'tender.id: missing'), item(2, 'tender.id: missing'), item(3, '<script>alert(1)</script>')], new Date());
  await worker.queue(fakeBatch('write', [makeWriteMessage({ windowId: 'FIND_A_TENDER:2018-01', page: -1 })]), stack.env);
  await worker.queue(fakeBatch('write-dlq', stack.env.WRITE_DLQ.take()), stack.env);

  // CF refused three times over the last 40 minutes, nothing served: blocked. FTS held by an operator.
  vi.useFakeTimers({ toFake: ['Date'] });
  try {
    for (const minutesAgo of [40, 30, 20]) {
      vi.setSystemTime(Date.now() - minutesAgo * MINUTE);
      await stack.env.RATE_GATE.gate('CONTRACTS_FINDER').pause(5 * MINUTE, 'CF answered 403');
      vi.setSystemTime(Date.now() + minutesAgo * MINUTE);
    }
  } finally {
    vi.useRealTimers();
  }
  await stack.env.RATE_GATE.gate('FIND_A_TENDER').hold('replanning 2024');
});

type SourceEntry = { source: string; figures: Record<string, any>; heatmap: unknown };
const sourceOf = (body: Record<string, unknown>, source: string) => (body.sources as SourceEntry[]).find((s) => s.source === source)!;

describe('GET /status', () => {
  it('gives per source the windows, releases, rate, ETA, lag, pause and heatmap that the collections and gates hold', async () => {
    const asked = Date.now();
    const { status, body } = await callWorker(stack.env, 'GET', '/status');

    expect(status).toBe(200);
    const fts = sourceOf(body, 'FIND_A_TENDER');
    expect(fts.figures).toMatchObject({
      windows: { done: 2, total: 5, failed: 1, openDeltas: 1, byState: { done: 2, fetching: 1, pending: 1, failed: 1 } },
      releases: { stored: 100, estimatedTotal: 250 },
      contracts: 3,
      releasesPerHour: 3,
      // 3 months left × 50 releases a month / 3 releases an hour.
      eta: { hours: 50, note: '3 month(s) left at 3/h' },
      newestRelease: newestFts,
      paused: { reason: 'replanning 2024' },
      blocked: null,
    });
    expect(fts.figures.lagMs).toBeGreaterThanOrEqual(asked - Date.parse(newestFts));
    expect(fts.figures.lagMs).toBeLessThan(Date.now() - Date.parse(newestFts) + 1000);
    expect(fts.heatmap).toEqual([{ year: 2024, months: ['done', 'done', 'fetching', 'pending', 'failed', null, null, null, null, null, null, null] }]);

    const cf = sourceOf(body, 'CONTRACTS_FINDER');
    expect(cf.figures).toMatchObject({
      windows: { done: 1, total: 2, failed: 0, openDeltas: 0 },
      contracts: 2,
      releasesPerHour: 2,
      paused: null,
      lastError: { message: 'refused: CF answered 403' },
      blocked: expect.stringMatching(/^3 refusals in a row over 40 min, no request served since .*; last: CF answered 403$/),
    });
  });

  it('counts quarantine and dead letters with their top reasons, most frequent first', async () => {
    const { body } = await callWorker(stack.env, 'GET', '/status');

    expect(body.quarantine).toEqual({ count: 4, topReasons: [{ reason: 'tender.id: missing', count: 3 }, { reason: '<script>alert(1)</script>', count: 1 }] });
    expect(body.deadLetters).toEqual({ count: 1, topReasons: [{ reason: expect.stringMatching(/^unreadable message: page: /), count: 1 }] });
    expect(body.counts).toEqual({ contracts: 5, buyers: expect.any(Number), quarantined: 4, deadLetters: 1 });
  });
});

describe('GET / (the page)', () => {
  const sectionOf = (page: string, source: string) => page.slice(page.indexOf(`<section data-source="${source}">`), page.indexOf('</section>', page.indexOf(`<section data-source="${source}">`)));
  const figureIn = (section: string, name: string) => new RegExp(`data-figure="${name}" data-value="(\\d+)"`).exec(section)?.[1];

  it('is one self-contained HTML page, readable on a phone', async () => {
    const { status, contentType, text } = await callWorker(stack.env, 'GET', '/');

    expect(status).toBe(200);
    expect(contentType).toBe('text/html; charset=utf-8');
    expect(text).toMatch(/^<!doctype html>/);
    expect(text).toContain('<meta name="viewport" content="width=device-width, initial-scale=1">');
    expect(text).not.toMatch(/<script|<link|<img|src=|url\(|@import/i);
    expect([...text.matchAll(/href="([^"]*)"/g)].map((m) => m[1])).toEqual(['/status']);
  });

  it('shows what /status says: figures per source, blocked and paused, heatmap cells, set-aside reasons escaped', async () => {
    const { text } = await callWorker(stack.env, 'GET', '/');
    const fts = sectionOf(text, 'FIND_A_TENDER');
    const cf = sectionOf(text, 'CONTRACTS_FINDER');

    expect([figureIn(fts, 'windows-done'), figureIn(fts, 'windows-total'), figureIn(fts, 'windows-failed'), figureIn(fts, 'contracts'), figureIn(fts, 'releases-per-hour')]).toEqual(['2', '5', '1', '3', '3']);
    expect([figureIn(cf, 'windows-done'), figureIn(cf, 'windows-total'), figureIn(cf, 'contracts')]).toEqual(['1', '2', '2']);
    expect(fts).toContain('<span class="badge paused" data-figure="paused">paused</span>');
    expect(fts).toContain('replanning 2024');
    expect(fts).not.toContain('data-figure="blocked"');
    expect(cf).toContain('data-figure="blocked"');
    expect(cf).toMatch(/data-figure="blocked-reason">3 refusals in a row over 40 min/);
    expect(fts).toMatch(/data-figure="eta">2 d 2 h \(/);
    expect(fts).toMatch(/data-figure="lag">\d+ d/);
    expect([...fts.matchAll(/data-month="(2024-\d\d)" data-state="(\w+)"/g)].map((m) => `${m[1]} ${m[2]}`)).toEqual(['2024-01 done', '2024-02 done', '2024-03 fetching', '2024-04 pending', '2024-05 failed']);
    expect(figureIn(text, 'quarantine-count')).toBe('4');
    expect(figureIn(text, 'dead-letters-count')).toBe('1');
    expect(text).toContain('<li><b>3</b> tender.id: missing</li>');
    expect(text).toContain('&#60;script&#62;alert(1)&#60;/script&#62;');
  });
});
