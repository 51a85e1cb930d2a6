/**
 * The live Find a Tender stream as it is (issue 20): each defect class of the old mapping, shown on
 * the real releases that carry it (test/fixtures/real/). On mapping 2 every one failed but the
 * placeholder zeros and the euro notice (values.ts already read 0 as no amount, and kept currencies),
 * kept here so a change that breaks them shows.
 */
import { describe, expect, it } from 'vitest';
import { allRealReleases, realRelease } from '../../test/fixtures/realFixtures.ts';
import { parseRelease, type Release } from '../ocds/releaseSchema.ts';
import { sources } from '../sources/sources.ts';
import { mapRelease } from './mapRelease.ts';
import type { MappedContract } from './mappedRelease.ts';
import { NOTICE_TYPES } from './noticeTypes.ts';

async function mapReal(file: string, id: string, storeRaw: 'off' | 'object' = 'off'): Promise<MappedContract> {
  const published = await realRelease(file, id);
  const parsed = parseRelease(published);
  if (!parsed.ok) throw new Error(parsed.reason);
  return (await mapRelease(sources.FIND_A_TENDER, parsed.release, { storeRaw, published })).contract;
}

describe('a shape the service sends is read, not refused', () => {
  it('002109-2021: deliveryAddresses published as an object keyed by position is the list it stands for', async () => {
    const published = await realRelease('fts-member-002109-2021.json', '002109-2021');
    const parsed = parseRelease(published);
    expect(parsed).toMatchObject({ ok: true, repairs: [{ path: 'tender.items.0.deliveryAddresses', rule: 'keyedByPosition' }] });
    const contract = await mapReal('fts-member-002109-2021.json', '002109-2021', 'object');
    // `{"1": {"region": "UK"}}`: delivered UK-wide, all twelve regions.
    expect(contract.deliveryRegions).toHaveLength(12);
    // Raw data keeps the release as published, object and all.
    expect(contract.rawData).toEqual(published);
    expect((contract.rawData as Release).tender?.items?.[0]?.deliveryAddresses).toEqual({ 1: { region: 'UK' } });
  });
});

describe('the deadline a supplier must act by', () => {
  it('075947-2026 (competitive flexible, no tenderPeriod): the expression-of-interest deadline, named so', async () => {
    const contract = await mapReal('fts-2026-08-10-page-001.json', '075947-2026');
    expect(contract).toMatchObject({ deadlineDate: '2026-08-28T22:59:59.000Z', deadlineKind: 'expressionOfInterest', status: 'OPEN' });
  });

  it('076444-2026 ("2026-08-25", 2015 regulations): the end of that UK day, not 00:00 UTC', async () => {
    const contract = await mapReal('fts-2026-08-11-page-001.json', '076444-2026');
    expect(contract).toMatchObject({ deadlineDate: '2026-08-25T22:59:59.000Z', deadlineKind: 'tender' });
  });
});

describe('final values and terminations', () => {
  it('075918-2026 (UK11, contracts[].status terminated): TERMINATED, what was paid in its values and range', async () => {
    const contract = await mapReal('fts-2026-08-10-page-001.json', '075918-2026');
    expect(contract).toMatchObject({ status: 'TERMINATED', noticeType: 'UK11', valueMin: 78497, valueMax: 78497, currency: 'GBP' });
    expect(contract.values).toEqual([{ source: 'final', id: '1', amount: 78497, amountGross: 94196.4, currency: 'GBP' }]);
  });

  it('071478-2026 (UK10 contract change): still AWARDED, the change valued', async () => {
    const contract = await mapReal('fts-whole-stream-page-050.json', '071478-2026');
    expect(contract).toMatchObject({ status: 'AWARDED', noticeType: 'UK10', valueMin: 509195 });
    expect(contract.values).toEqual([{ source: 'amendment', id: '071478-2026', amount: 509195, amountGross: 611034, currency: 'GBP' }]);
  });
});

describe('a call-off keeps its framework', () => {
  it('075955-2026: relatedProcesses framework → framework.ocid and its lot', async () => {
    const contract = await mapReal('fts-2026-08-10-page-001.json', '075955-2026');
    expect(contract.framework).toEqual({
      ocid: 'ocds-h6vhtk-06085f',
      url: 'https://www.find-tender.service.gov.uk/api/1.0/ocdsReleasePackages/ocds-h6vhtk-06085f',
      relatedLots: ['3'],
    });
  });
});

describe('descriptions given only elsewhere', () => {
  it('075713-2026 (Provider Selection Regime modification): the lot says what the tender does not', async () => {
    const contract = await mapReal('fts-2026-08-10-page-003.json', '075713-2026');
    expect(contract.description).toMatch(/^NHS Cheshire and Merseyside ICB has awarded a one year contract/);
  });
});

describe('amounts and currencies', () => {
  it('075814-2026: placeholder zeros (amount 0, amountGross 0) are no amount', async () => {
    const contract = await mapReal('fts-2026-08-10-page-002.json', '075814-2026');
    expect(contract.values ?? []).toEqual([]);
    expect(contract).not.toHaveProperty('valueMin');
  });

  it('075832-2026: a lot repeating the GBP tender value in AED is GBP', async () => {
    const contract = await mapReal('fts-2026-08-10-page-002.json', '075832-2026');
    expect(contract.lots?.[0]).toMatchObject({ value: 2000000, currency: 'GBP' });
    expect(contract.values?.filter((v) => v.currency !== 'GBP')).toEqual([]);
  });

  it('076302-2026: a notice in euros keeps euros', async () => {
    const contract = await mapReal('fts-2026-08-11-page-002.json', '076302-2026');
    expect(contract.currency).toBe('EUR');
  });
});

describe('status by notice type, over every real FTS release of each type', async () => {
  const all = await allRealReleases();
  const bySource = all.filter(({ source }) => source === 'FIND_A_TENDER');
  const mapped = await Promise.all(
    bySource.map(async ({ release }) => {
      const parsed = parseRelease(release);
      if (!parsed.ok) throw new Error(parsed.reason);
      return (await mapRelease(sources.FIND_A_TENDER, parsed.release, { storeRaw: 'off' })).contract;
    }),
  );
  const expected: Record<string, string> = {
    UK1: 'OPEN', UK2: 'OPEN', UK3: 'OPEN', UK4: 'OPEN', UK5: 'CLOSED', UK6: 'AWARDED', UK7: 'AWARDED', UK9: 'AWARDED',
    UK10: 'AWARDED', UK11: 'TERMINATED', UK12: 'CANCELLED', UK13: 'OPEN', UK15: 'OPEN',
  };

  it.each(Object.entries(expected))('%s → %s', (noticeType, status) => {
    const ofType = mapped.filter((c) => c.noticeType === noticeType);
    expect(ofType.length).toBeGreaterThan(0);
    expect(new Set(ofType.map((c) => c.status))).toEqual(new Set([status]));
  });

  it('every notice type of the corpus has a row, and every row is UK1–UK17', () => {
    const types = new Set(mapped.map((c) => c.noticeType).filter((t) => t !== undefined));
    for (const type of types) expect(NOTICE_TYPES).toHaveProperty(type);
    expect(Object.keys(NOTICE_TYPES)).toEqual(Array.from({ length: 17 }, (_, i) => `UK${i + 1}`));
  });

  it('2015-regulation notices (no notice type) keep the tag rules: a tenderUpdate without tender.status is OPEN', () => {
    const untyped = mapped.filter((c) => c.noticeType === undefined);
    expect(untyped.length).toBeGreaterThan(200);
    const updates = bySource.filter(({ release }) => (release as Release).tag?.includes('tenderUpdate') && !(release as Release).tender?.status);
    expect(updates.length).toBeGreaterThan(0);
    for (const { release } of updates) expect(mapped.find((c) => c.releaseId === (release as Release).id)?.status).toBe('OPEN');
  });
});
