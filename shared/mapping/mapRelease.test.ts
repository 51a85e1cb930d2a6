import { describe, expect, it } from 'vitest';
import { parseJsonBody } from '../ocds/repairBody.ts';
import { allRealReleases, realRelease } from '../../test/fixtures/realFixtures.ts';
import { parseRelease, type Release } from '../ocds/releaseSchema.ts';
import { CPV_SECTORS } from './cpvSectors.ts';
import { mapRelease } from './mapRelease.ts';
import { jsonBytes } from '../queue/jsonBytes.ts';
import { sources } from '../sources/sources.ts';
import { emptyPaths } from '../../test/stack/emptyPaths.ts';

const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

function mustParse(value: unknown): Release {
  const result = parseRelease(value);
  if (!result.ok) throw new Error(result.reason);
  return result.release;
}

describe('mapRelease over every real release', async () => {
  const all = await allRealReleases();

  it.each(all.map(({ file, source, release }) => ({ file, source, release, id: (release as Release).id })))(
    '$file $id',
    async ({ source, release }) => {
      const mapped = await mapRelease(sources[source], mustParse(release), { storeRaw: 'off' });
      const c = mapped.contract;
      expect(emptyPaths(mapped.contract)).toEqual([]);
      if (mapped.buyer !== null) expect(emptyPaths(mapped.buyer)).toEqual([]);
      expect(c._id).toBe(`${source}:${c.noticeId}`);
      expect(['OPEN', 'CLOSED', 'AWARDED', 'CANCELLED', 'TERMINATED']).toContain(c.status);
      expect(['PLANNING', 'TENDER', 'AWARD']).toContain(c.stage);
      for (const date of [c.releaseDate, c.publishedDate, c.deadlineDate, ...(c.awards ?? []).map((a) => a.date)]) {
        if (date !== undefined) expect(date).toMatch(ISO_INSTANT);
      }
      for (const code of c.cpvCodes) expect(code).toMatch(/^\d{8}$/);
      expect(new Set(c.cpvCodes).size).toBe(c.cpvCodes.length);
      // Every division a real release uses is in the map.
      expect(c.sector).toBe(c.cpvCodes.length === 0 ? undefined : CPV_SECTORS[c.cpvCodes[0]!.slice(0, 2)]);
      if (c.valueMin !== undefined) expect(c.valueMin).toBeLessThanOrEqual(c.valueMax!);
      expect(c.buyerOrg).toBe(mapped.buyer?.orgId);
      expect(c.buyerName).toBe(mapped.buyer?.name);
      expect(mapped.buyer?.sector).toBe(c.sector);
      expect(c).not.toHaveProperty('rawData');
      expect(c).not.toHaveProperty('rawDataGz');
      // Within a queue message (128 KB): the largest real one (076014-2026, a UK4 of 8 lots with long descriptions) is ~38 KB.
      expect(jsonBytes(mapped)).toBeLessThan(64_000);
    },
  );

  it('is deterministic: the same release maps to the same document', async () => {
    for (const { source, release } of all.slice(0, 20)) {
      const a = await mapRelease(sources[source], mustParse(release), { storeRaw: 'off' });
      const b = await mapRelease(sources[source], mustParse(release), { storeRaw: 'off' });
      expect(b).toEqual(a);
    }
  });

  it('covers every tag the live streams carry (issue 20: the FTS stream by tag, CF tags)', () => {
    const tags = new Set(all.flatMap(({ release }) => (release as Release).tag ?? []));
    expect([...tags].sort()).toEqual([
      'award', 'awardUpdate', 'contract', 'contractAmendment', 'contractTermination', 'contractUpdate', 'implementation',
      'planning', 'planningUpdate', 'tender', 'tenderAmendment', 'tenderCancellation', 'tenderUpdate',
    ]);
  });
});

describe('raw data', () => {
  const cfId = '7d005747-1320-456e-b1fb-79919a74e44f-582356';

  it("'object' keeps the release as published", async () => {
    const release = mustParse(await realRelease('cf-search-page-2022-10-20.json', cfId));
    const mapped = await mapRelease(sources.CONTRACTS_FINDER, release, { storeRaw: 'object' });
    expect(mapped.contract.rawData).toBe(release);
    expect(mapped.contract).not.toHaveProperty('rawDataGz');
  });

  it("'gzip' stores base64 gzip of the release JSON, which decompresses back to it", async () => {
    const release = mustParse(await realRelease('cf-search-page-2022-10-20.json', cfId));
    const mapped = await mapRelease(sources.CONTRACTS_FINDER, release, { storeRaw: 'gzip' });
    expect(mapped.contract).not.toHaveProperty('rawData');
    const gz = Buffer.from(mapped.contract.rawDataGz!, 'base64');
    expect([gz[0], gz[1]]).toEqual([0x1f, 0x8b]); // gzip magic
    const stream = new Blob([gz]).stream().pipeThrough(new DecompressionStream('gzip'));
    const text = await new Response(stream).text();
    expect(text).toBe(JSON.stringify(release));
    // Non-ASCII text ("•", "’" in FTS descriptions) survives too.
    const fts = mustParse(await realRelease('fts-page-limit4-2026-10-06.json', '094475-2026'));
    const ftsGz = (await mapRelease(sources.FIND_A_TENDER, fts, { storeRaw: 'gzip' })).contract.rawDataGz!;
    const ftsBytes = Buffer.from(ftsGz, 'base64');
    const ftsStream = new Blob([ftsBytes]).stream().pipeThrough(new DecompressionStream('gzip'));
    const back: unknown = await new Response(ftsStream).json();
    expect(back).toEqual(fts);
  });
});

describe('quirks end to end (bytes → document)', () => {
  it('an FTS body with ` 000,` and `1e9999` parses, validates and maps without the bogus amounts', async () => {
    const body = new TextEncoder().encode(
      `{"releases":[{"id":"000001-2026","ocid":"ocds-h6vhtk-000001","date":"2026-01-05T10:00:00Z",
        "tag":["tender"],"tender":{"title":"T","status":"active",
          "value":{"amount": 1e9999,"currency":"GBP"},
          "lots":[{"id":"1","value":{"amount": 000,"currency":"GBP"}},{"id":"2","value":{"amount":5000,"currency":"GBP"}}]}}]}`,
    );
    const parsed = parseJsonBody(body);
    if (!parsed.ok) throw new Error(parsed.reason);
    const [raw] = (parsed.value as { releases: unknown[] }).releases;
    const mapped = await mapRelease(sources.FIND_A_TENDER, mustParse(raw), { storeRaw: 'off' });
    expect(mapped.contract).toMatchObject({ valueMin: 5000, valueMax: 5000, currency: 'GBP' });
    expect(mapped.contract.lots).toEqual([
      // 0 is no amount (values.ts): the lot keeps no value.
      { id: '1' },
      { id: '2', value: 5000, currency: 'GBP' },
    ]);
    expect(mapped.buyer).toBeNull();
    expect(mapped.contract).not.toHaveProperty('buyerName');
  });
});

describe('jsonBytes of a mapped release', () => {
  it('counts UTF-8 bytes, not characters', async () => {
    const release = mustParse({ id: '000001-2026', ocid: 'o', date: '2026-01-01T00:00:00Z', tender: { title: '£ – ’' } });
    const mapped = await mapRelease(sources.FIND_A_TENDER, release, { storeRaw: 'off' });
    const json = JSON.stringify(mapped);
    expect(jsonBytes(mapped)).toBe(json.length + 1 + 2 + 2); // £ is 2 bytes, – and ’ 3 each
  });
});

describe('joint procurements: every buyer party', () => {
  const JOINT = 'fts-whole-stream-page-111.json';
  const map = async (release: unknown) => mapRelease(sources.FIND_A_TENDER, mustParse(release), { storeRaw: 'off' });

  it('065412-2026 (Severn Trent and Hafren Dyfrdwy): the lead stays buyerName/buyerOrg, both in buyers, the other one a joint buyer', async () => {
    const mapped = await map(await realRelease(JOINT, '065412-2026'));
    expect(mapped.contract).toMatchObject({ buyerName: 'SEVERN TRENT WATER LIMITED', buyerOrg: 'GB-COH-02366686', buyerRegion: 'West Midlands' });
    expect(mapped.contract.buyers).toEqual([
      { orgId: 'GB-COH-02366686', name: 'SEVERN TRENT WATER LIMITED' },
      { orgId: 'GB-COH-03527628', name: 'HAFREN DYFRDWY CYFYNGEDIG' },
    ]);
    expect(mapped.buyer?.orgId).toBe('GB-COH-02366686');
    expect(mapped.jointBuyers).toEqual([
      {
        orgId: 'GB-COH-03527628',
        identifiers: ['GB-PPON-PWGQ-2543-XWCR'],
        name: 'HAFREN DYFRDWY CYFYNGEDIG',
        sector: mapped.buyer?.sector,
        region: 'Wales',
        regionCode: 'UKL23',
        locality: 'Wrexham',
        postalCode: 'LL14 4EH',
        contacts: [{ email: 'systemsandprocessteam-pcm@severntrent.co.uk' }],
      },
    ]);
  });

  it('three buyer parties, release.buyer naming the second: it leads, the others follow in order', async () => {
    const release = (await realRelease(JOINT, '065412-2026')) as { parties: Record<string, unknown>[]; buyer: unknown };
    const third = { id: 'GB-FTS-148803', name: 'NHS Birmingham and Solihull Integrated Care Board', roles: ['buyer'], identifier: { legalName: 'NHS Birmingham and Solihull Integrated Care Board' } };
    const mapped = await map({ ...release, parties: [...release.parties, third], buyer: { id: 'GB-COH-03527628', name: 'HAFREN DYFRDWY CYFYNGEDIG' } });
    expect(mapped.contract).toMatchObject({ buyerName: 'HAFREN DYFRDWY CYFYNGEDIG', buyerOrg: 'GB-COH-03527628' });
    expect(mapped.contract.buyers?.map((b) => b.orgId)).toEqual(['GB-COH-03527628', 'GB-COH-02366686', 'name-nhs-birmingham-and-solihull-integrated-care-board']);
    expect(mapped.jointBuyers?.map((b) => b.orgId)).toEqual(['GB-COH-02366686', 'name-nhs-birmingham-and-solihull-integrated-care-board']);
  });

  it('one buyer party: no buyers list, no joint buyers', async () => {
    const mapped = await map(await realRelease(JOINT, '065429-2026'));
    expect(mapped.contract.buyerOrg).toBe('GB-PPON-PXJW-5627-QRQR');
    expect(mapped.contract).not.toHaveProperty('buyers');
    expect(mapped).not.toHaveProperty('jointBuyers');
  });
});
