import { describe, expect, it } from 'vitest';
import { parsePackage } from './packageSchema.ts';
import { readFixture, REAL_FIXTURES } from '../../test/fixtures/realFixtures.ts';

describe('parsePackage', () => {
  it.each(REAL_FIXTURES)('reads the real $file', async ({ file, source }) => {
    const pkg = await readFixture(file);
    const result = parsePackage(source, pkg);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    // The releases themselves, untouched (same objects), for parseRelease one by one.
    expect(result.releases).toHaveLength(pkg.releases.length);
    result.releases.forEach((release, i) => expect(release).toBe(pkg.releases[i]));
    // A page with links gives the next page's full URL; a last page (no links) gives null.
    if (pkg.links === undefined) expect(result.nextUrl).toBeNull();
    else expect(result.nextUrl).toMatch(/^https:\/\/www\.(find-tender|contractsfinder)\.service\.gov\.uk\/.+&cursor=/);
  });

  it('gives the exact next link of the FTS page', async () => {
    const result = parsePackage('FIND_A_TENDER', await readFixture('fts-page-limit4-2026-10-06.json'));
    expect(result).toMatchObject({
      ok: true,
      nextUrl:
        'https://www.find-tender.service.gov.uk/api/1.0/ocdsReleasePackages?updatedFrom=2026-10-06T15:44:10&updatedTo=2026-10-06T18:44:10&limit=4&cursor=dXBkYXRlZEZyb209MjAyNi0xMC0wNlQxNTo0NDoxMHx1cGRhdGVkVG89MjAyNi0xMC0wNlQxODo0NDoxMHxuZXh0Q3Vyc29yPTc0Njk3Mw==',
    });
  });

  it('does not look inside releases: a bad one is for parseRelease, not a reason to reject the page', () => {
    const result = parsePackage('CONTRACTS_FINDER', { releases: [{ no: 'id' }, 42, null], links: {} });
    expect(result).toEqual({ ok: true, releases: [{ no: 'id' }, 42, null], nextUrl: null });
  });

  it('rejects what is not a package, with a reason', () => {
    const result = parsePackage('FIND_A_TENDER', { status: 400, error: 'Bad Request' });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.reason).toMatch(/^invalid FIND_A_TENDER release package: releases: /);
  });

  it('rejects a next link that is not a URL', () => {
    const result = parsePackage('CONTRACTS_FINDER', { releases: [], links: { next: 'cursor=abc' } });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.reason).toMatch(/links\.next: links\.next is not a full URL/);
  });
});
