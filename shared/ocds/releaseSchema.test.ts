import { describe, expect, it } from 'vitest';
import { allRealReleases } from '../../test/fixtures/realFixtures.ts';
import { parseRelease } from './releaseSchema.ts';

const minimal = { id: '094477-2026', ocid: 'ocds-h6vhtk-06e832', date: '2026-10-06T18:31:55+01:00' };

describe('ReleaseSchema', () => {
  it('accepts every real release, and returns it untouched (same object) unless a shape rule repaired it', async () => {
    const all = await allRealReleases();
    expect(all.length).toBeGreaterThan(1_900);
    const repaired: string[] = [];
    for (const { file, release } of all) {
      const result = parseRelease(release);
      if (!result.ok) throw new Error(`${file}: ${result.reason}`);
      if (result.repairs.length === 0) expect(result.release).toBe(release);
      else repaired.push(`${file} ${result.release.id}`);
    }
    // The one shape defect of the corpus (repairShapes.ts, UPSTREAM.md).
    expect(repaired).toEqual(['fts-member-002109-2021.json 002109-2021']);
  });

  it('needs only id, ocid and date', () => {
    expect(parseRelease(minimal).ok).toBe(true);
  });

  it('rejects a release without id, with a readable reason', () => {
    const { id: _, ...noId } = minimal;
    const result = parseRelease(noId);
    expect(result).toEqual({
      ok: false,
      reason: 'id: Invalid key: Expected "id" but received undefined',
    });
  });

  it('rejects an unparseable date and names the field', () => {
    const result = parseRelease({ ...minimal, date: 'yesterday' });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.reason).toBe('date: release date is not an ISO-8601 date');
  });

  it('reports nested paths', () => {
    const result = parseRelease({ ...minimal, tender: { value: { amount: '12' } } });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.reason).toMatch(/tender\.value\.amount: Invalid type: Expected number/);
  });

  it('rejects what is not an object', () => {
    expect(parseRelease(null).ok).toBe(false);
    expect(parseRelease([minimal]).ok).toBe(false);
  });

  it('tolerates the real oddities: description null, buyerID [], amountGross only, no amount, numeric ids', () => {
    const odd = {
      ...minimal,
      buyerID: [],
      somethingNew: { nested: true },
      tender: {
        title: null,
        lots: [{ id: 1, description: null, value: { currency: 'AED' } }],
        value: { amountGross: 40465.2, currency: 'GBP' },
      },
      awards: [{ id: '1', value: { amountGross: 256378.74, currency: 'GBP' }, suppliers: [{ id: 'x' }] }],
    };
    const result = parseRelease(odd);
    expect(result.ok).toBe(true);
    if (result.ok) expect(result.release).toEqual(odd);
  });
});
