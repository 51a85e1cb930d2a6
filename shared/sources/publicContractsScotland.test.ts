import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { PCS_NOTICE_TYPES, pageContextOfType, pcsNoticeTypeNamed } from './pcs/noticeTypes.ts';
import { publicContractsScotland } from './publicContractsScotland.ts';

const settings = (env: Record<string, string> = {}) => ({ ...v.parse(publicContractsScotland.settings, env), PAGE_LIMIT: 100 });

/** A month's chain as fetchWindow asks it: the first page, then each next page until there is none. */
function chainOf(config: ReturnType<typeof settings>, month: string): string[] {
  const from = new Date(`${month}-01T00:00:00Z`);
  const urls = [publicContractsScotland.firstPageUrl(config, { from, to: new Date(Date.UTC(from.getUTCFullYear(), from.getUTCMonth() + 1, 1)) })];
  const next = (url: string) => publicContractsScotland.nextPageUrl!(config, url);
  for (let url = next(urls[0]); url !== null; url = next(url)) urls.push(url);
  return urls;
}

describe('publicContractsScotland settings', () => {
  it('defaults: on, the real API, six a minute, from 2019-01, the four site notice types', () => {
    const config = settings();
    expect(publicContractsScotland.enabled?.(config)).toBe(true);
    expect(publicContractsScotland.startDate(config)).toEqual(new Date('2019-01-01T00:00:00Z'));
    expect(publicContractsScotland.requestsPerMinute(config)).toBe(6);
    expect(chainOf(config, '2026-07')).toEqual([101, 102, 103, 104].map((type) => `https://api.publiccontractsscotland.gov.uk/v1/Notices?dateFrom=07-2026&noticeType=${type}&outputType=0`));
  });

  it('PCS_ENABLED=false turns it off; anything but true or false is refused', () => {
    expect(publicContractsScotland.enabled?.(settings({ PCS_ENABLED: 'false' }))).toBe(false);
    expect(() => settings({ PCS_ENABLED: 'no' })).toThrow(/must be true or false/);
  });

  it('PCS_NOTICE_TYPES adds EU forms; an unknown code is refused, naming the known ones', () => {
    expect(chainOf(settings({ PCS_NOTICE_TYPES: '101, 102,103,104,2,3' }), '2019-04').map((url) => new URL(url).searchParams.get('noticeType'))).toEqual(['101', '102', '103', '104', '2', '3']);
    for (const bad of ['105', '101,,102', 'F2', '']) {
      expect(() => settings({ PCS_NOTICE_TYPES: bad }), bad).toThrow(/expected comma-separated PCS notice types, of 1, 2, 3/);
    }
  });

  it('PCS_API_URL points it elsewhere (a simulator), without a trailing slash', () => {
    const config = settings({ PCS_API_URL: 'http://127.0.0.1:8788/' });
    expect(chainOf(config, '2019-04')[0]).toBe('http://127.0.0.1:8788/v1/Notices?dateFrom=04-2019&noticeType=101&outputType=0');
  });
});

describe('publicContractsScotland.readRefusal', () => {
  it.each([
    [403, { kind: 'pause', pauseMs: 300_000, reason: 'PCS answered 403' }],
    [429, { kind: 'pause', pauseMs: 300_000, reason: 'PCS answered 429' }],
    [500, { kind: 'transient', reason: 'HTTP 500' }],
    [503, { kind: 'transient', reason: 'HTTP 503' }],
    [404, { kind: 'permanent', reason: 'HTTP 404' }],
  ])('%i', (status, refusal) => {
    expect(publicContractsScotland.readRefusal(settings(), status, new Headers())).toEqual(refusal);
  });

  it('PCS_BLOCK_PAUSE_SECONDS sets the pause', () => {
    expect(publicContractsScotland.readRefusal(settings({ PCS_BLOCK_PAUSE_SECONDS: '60' }), 429, new Headers())).toMatchObject({ pauseMs: 60_000 });
  });
});

describe('PCS notice types', () => {
  it('are the 17 EU forms and the 4 site notices of the API page', () => {
    const codes = Object.keys(PCS_NOTICE_TYPES).map(Number);
    expect(codes).toEqual([1, 2, 3, 4, 5, 6, 7, 12, 13, 14, 15, 20, 21, 22, 23, 24, 25, 101, 102, 103, 104]);
    expect(PCS_NOTICE_TYPES[101].name).toBe('Site Notice - Website Prior Information Notice');
    expect(PCS_NOTICE_TYPES[102].name).toBe('Site Notice - Website Contract Notice');
  });

  it('decide the status only for the Quick Quote award; elsewhere the release does', () => {
    expect(pageContextOfType(104)).toEqual({ noticeType: 'Site Notice - Quick Quote Award', status: 'AWARDED' });
    for (const code of [1, 2, 3, 14, 15, 101, 102, 103]) expect(pageContextOfType(code), String(code)).toEqual({ noticeType: PCS_NOTICE_TYPES[code]!.name });
    expect(pageContextOfType(999)).toEqual({});
    expect(pageContextOfType(undefined)).toEqual({});
  });

  it('are read back from a contract named by one (remap); other names are no type', () => {
    for (const [code, { name }] of Object.entries(PCS_NOTICE_TYPES)) expect(pcsNoticeTypeNamed(name)).toBe(Number(code));
    expect(pcsNoticeTypeNamed('contractNotice')).toBeUndefined();
    expect(pcsNoticeTypeNamed(undefined)).toBeUndefined();
  });
});
