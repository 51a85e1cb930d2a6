import { describe, expect, it } from 'vitest';
import { parseRecordPackage } from './recordPackageSchema.ts';
import { readFixture } from '../../test/fixtures/realFixtures.ts';

const OCID = 'ocds-b5fd17-2fa4ddab-49ee-4631-a5eb-549c9d75fcda';
const linked = { url: 'https://www.contractsfinder.service.gov.uk/Published/OCDS/Release/x', date: '2025-03-11T11:00:37Z', tag: ['tender'] };

describe('parseRecordPackage', () => {
  it("gives a record's embedded releases, untouched, and no next page", async () => {
    const { releases } = await readFixture('cf-search-page-2025-01-23.json');
    const result = parseRecordPackage('CONTRACTS_FINDER', { uri: 'u', records: [{ ocid: OCID, releases: releases.slice(0, 2), compiledRelease: releases[1] }] });
    expect(result.ok && result.releases).toEqual(releases.slice(0, 2));
    if (result.ok) result.releases.forEach((release, i) => expect(release).toBe(releases[i]));
    expect(result.ok && result.nextUrl).toBeNull();
  });

  it('gives the compiled release of a record whose releases are only linked', () => {
    const compiledRelease = { ocid: OCID, id: '56659441-df13-4937-99b2-3e6d79c277e8-832975', tag: ['compiled'] };
    const result = parseRecordPackage('CONTRACTS_FINDER', { records: [{ ocid: OCID, releases: [linked], compiledRelease }] });
    expect(result).toEqual({ ok: true, releases: [compiledRelease], nextUrl: null });
  });

  it('does not look inside embedded releases: a bad one is for parseRelease', () => {
    expect(parseRecordPackage('CONTRACTS_FINDER', { records: [{ ocid: OCID, releases: [{ id: 'x' }, 42] }] })).toEqual({ ok: true, releases: [{ id: 'x' }, 42], nextUrl: null });
  });

  it('rejects a record that carries nothing to compare, and what is not a record package, with a reason', async () => {
    expect(parseRecordPackage('CONTRACTS_FINDER', { records: [{ ocid: OCID, releases: [linked] }] })).toEqual({
      ok: false,
      reason: `CONTRACTS_FINDER record ${OCID} has neither embedded releases nor a compiled release`,
    });
    const releasePackage = parseRecordPackage('CONTRACTS_FINDER', await readFixture('cf-search-page-2022-10-20.json'));
    expect(releasePackage).toEqual({ ok: false, reason: expect.stringMatching(/^invalid CONTRACTS_FINDER record package: records: /) });
    expect(parseRecordPackage('CONTRACTS_FINDER', { code: 'ValidationError', errors: 3200 }).ok).toBe(false);
    expect(parseRecordPackage('CONTRACTS_FINDER', { records: [{ releases: [] }] })).toEqual({ ok: false, reason: expect.stringMatching(/records\.0\.ocid: /) });
  });
});
