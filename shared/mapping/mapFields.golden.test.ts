/**
 * Golden checks of the search fields (values, regions, procurement details, links) over the real
 * captured releases in test/fixtures/real/. The expectations were read by hand from the raw JSON,
 * not from the mapper; the whole-corpus checks recompute from the raw releases what they assert.
 * The other fields of the same releases: mapRelease.golden.test.ts.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { allRealReleases, realRelease } from '../../test/fixtures/realFixtures.ts';
import { SEARCH_FIELDS } from '../../test/fixtures/searchFields.ts';
import { parseRelease, type Release } from '../ocds/releaseSchema.ts';
import type { SourceName } from '../sources/sourceName.ts';
import { sources } from '../sources/sources.ts';
import { mapRelease } from './mapRelease.ts';
import type { MappedContract, MappedRelease } from './mappedRelease.ts';
import { ENGLISH_REGIONS, UK_REGIONS } from './regions.ts';

async function mapReal(file: string, source: SourceName, id: string): Promise<MappedContract> {
  const parsed = parseRelease(await realRelease(file, id));
  if (!parsed.ok) throw new Error(parsed.reason);
  return (await mapRelease(sources[source], parsed.release, { storeRaw: 'off' })).contract;
}

/** The search fields of a contract, plus its range and regions (absent ones stay absent). */
function searchFields(contract: MappedContract): Partial<MappedContract> {
  const keys = [...SEARCH_FIELDS, 'valueMin', 'valueMax', 'currency', 'buyerRegion', 'buyerRegionCode'] as const;
  return Object.fromEntries(keys.filter((key) => key in contract).map((key) => [key, contract[key]]));
}

const FTS = 'https://www.find-tender.service.gov.uk/Notice/';
const CF = 'https://www.contractsfinder.service.gov.uk/Notice/';
const ALL_UK = [...UK_REGIONS];
const ENGLAND = [...ENGLISH_REGIONS];

describe('search fields of the Find a Tender goldens', () => {
  it.each<[string, string, Partial<MappedContract>]>([
    [
      'fts-page-limit4-2026-10-06.json',
      '094477-2026',
      {
        // The award gives only amountGross: the range includes VAT and says so.
        valueMin: 256378.74,
        valueMax: 256378.74,
        currency: 'GBP',
        valueIncludesVat: true,
        values: [{ source: 'award', id: '1', amount: 256378.74, currency: 'GBP', vatIncluded: true }],
        buyerRegion: 'North East',
        buyerRegionCode: 'UKC11',
        // No delivery address at all.
        procurementMethod: 'open',
        procurementMethodDetails: 'Open procedure',
        // On the award, not the tender.
        mainProcurementCategory: 'services',
        contractPeriod: { startDate: '2026-11-01T00:00:00.000Z', endDate: '2029-09-30T22:59:59.000Z', maxExtentDate: '2031-09-30T22:59:59.000Z' },
        documents: [{ url: `${FTS}094477-2026`, id: '094477-2026', type: 'awardNotice', title: 'Contract award notice on Find a Tender' }],
      },
    ],
    [
      'fts-page-limit4-2026-10-06.json',
      '094476-2026',
      {
        // The tender (GBP) ranks before the lot; the lot's "AED" only repeats the tender's amounts (lotCurrency.ts): GBP.
        valueMin: 2772000,
        valueMax: 2772000,
        currency: 'GBP',
        values: [
          { source: 'tender', amount: 2772000, amountGross: 3326400, currency: 'GBP' },
          { source: 'lot', id: '1', amount: 2772000, amountGross: 3326400, currency: 'GBP' },
        ],
        buyerRegion: 'East of England',
        buyerRegionCode: 'UKH25',
        deliveryRegions: ['East of England'],
        procurementMethod: 'open',
        procurementMethodDetails: 'Competitive flexible procedure',
        mainProcurementCategory: 'services',
        contractPeriod: { startDate: '2027-11-01T00:00:00.000Z', endDate: '2030-10-31T23:59:59.000Z', maxExtentDate: '2034-10-31T23:59:59.000Z' },
        enquiryPeriod: { endDate: '2026-10-26T17:00:00.000Z' },
        // The conflictOfInterest document has no address.
        documents: [{ url: `${FTS}094476-2026`, id: '094476-2026', type: 'tenderNotice', title: 'Tender notice on Find a Tender' }],
        submissionUrl: 'https://supplier.in-tend.co.uk/centralbedfordshire/home',
      },
    ],
    [
      'fts-page-limit4-2026-10-06.json',
      '094475-2026',
      {
        valueMin: 31715,
        valueMax: 31715,
        currency: 'GBP',
        values: [{ source: 'award', id: '1', amount: 31715, amountGross: 38058, currency: 'GBP' }],
        buyerRegion: 'North East',
        buyerRegionCode: 'UKC14',
        deliveryRegions: ['North East'],
        procurementMethod: 'direct',
        procurementMethodDetails: 'Below threshold - without competition',
        mainProcurementCategory: 'services',
        contractPeriod: { startDate: '2026-11-18T00:00:00.000Z', endDate: '2031-11-17T23:59:59.000Z' },
        documents: [{ url: `${FTS}094475-2026`, id: '094475-2026', type: 'awardNotice', title: 'Contract award notice on Find a Tender' }],
      },
    ],
    [
      'fts-page-limit4-2026-10-06.json',
      '094474-2026',
      {
        valueMin: 211232,
        valueMax: 211232,
        currency: 'GBP',
        values: [{ source: 'award', id: '1', amount: 211232, amountGross: 253478, currency: 'GBP' }],
        buyerRegion: 'East Midlands',
        buyerRegionCode: 'UKF16',
        // UKF14, UKF15, UKF16: one region.
        deliveryRegions: ['East Midlands'],
        procurementMethod: 'selective',
        procurementMethodDetails: 'Competitive flexible procedure',
        mainProcurementCategory: 'services',
        contractPeriod: { startDate: '2026-11-01T00:00:00.000Z', endDate: '2028-03-31T22:59:59.000Z', maxExtentDate: '2030-03-31T22:59:59.000Z' },
        documents: [{ url: `${FTS}094474-2026`, id: '094474-2026', type: 'awardNotice', title: 'Contract award notice on Find a Tender' }],
      },
    ],
    [
      'fts-notice-032703-2026.json',
      '032703-2026',
      {
        valueMin: 33721,
        valueMax: 33721,
        currency: 'GBP',
        values: [
          { source: 'tender', amount: 33721, amountGross: 40465.2, currency: 'GBP' },
          { source: 'lot', id: '1', amount: 33721, amountGross: 40465.2, currency: 'GBP' },
        ],
        buyerRegion: 'Yorkshire and the Humber',
        buyerRegionCode: 'UKE22',
        deliveryRegions: ['Yorkshire and the Humber'],
        procurementMethod: 'open',
        procurementMethodDetails: 'Below threshold - open competition',
        mainProcurementCategory: 'services',
        contractPeriod: { startDate: '2026-05-13T23:00:00.000Z', endDate: '2026-12-31T23:59:59.000Z' },
        enquiryPeriod: { endDate: '2026-04-24T22:59:59.000Z' },
        documents: [
          { url: `${FTS}Attachment/A-14581`, id: 'A-14581', type: 'biddingDocuments' },
          { url: `${FTS}032703-2026`, id: '032703-2026', type: 'tenderNotice', title: 'Tender notice on Find a Tender' },
        ],
        // An e-mail address, not a web address.
        submissionDetails: 'tenders@harrogatetowncouncil.gov.uk',
      },
    ],
  ])('%s %s', async (file, id, expected) => {
    expect(searchFields(await mapReal(file, 'FIND_A_TENDER', id))).toEqual(expected);
  });
});

describe('search fields of the Contracts Finder goldens', () => {
  const CF_20 = 'cf-search-page-2022-10-20.json';
  const CF_22 = 'cf-search-page-2022-10-22.json';
  it.each<[string, string, Partial<MappedContract>]>([
    [
      CF_20,
      '7d005747-1320-456e-b1fb-79919a74e44f-582356',
      {
        // The award ranks first: the awarded 72,508.80, not the tender's 36,254.40–145,017.80.
        valueMin: 72508.8,
        valueMax: 72508.8,
        currency: 'GBP',
        values: [
          { source: 'award', id: 'ocds-b5fd17-7d067852-1260-448e-b84a-186d028f9991-1', amount: 72508.8, currency: 'GBP' },
          { source: 'tender', amount: 145017.8, currency: 'GBP' },
          { source: 'tenderMin', amount: 36254.4, currency: 'GBP' },
        ],
        // W1B 1PZ.
        buyerRegion: 'London',
        deliveryRegions: ['London'],
        suitableForSme: true,
        suitableForVcse: false,
        procurementMethod: 'selective',
        procurementMethodDetails: 'Call-off from a framework agreement',
        mainProcurementCategory: 'services',
        contractPeriod: { startDate: '2020-10-21T23:00:00.000Z', endDate: '2022-10-21T22:59:59.000Z' },
        documents: [{ url: `${CF}7d005747-1320-456e-b1fb-79919a74e44f`, id: '1', type: 'awardNotice', title: 'Awarded contract notice on Contracts Finder' }],
      },
    ],
    [
      CF_20,
      '552c8041-de65-46f7-a75b-9f5594b99753-582354',
      {
        valueMin: 30000,
        valueMax: 30000,
        currency: 'GBP',
        values: [{ source: 'tender', amount: 30000, currency: 'GBP' }],
        // TW3 (Hounslow); the delivery location "England" is not the buyer's region.
        buyerRegion: 'London',
        deliveryRegions: ENGLAND,
        suitableForSme: true,
        suitableForVcse: true,
        procurementMethod: 'open',
        procurementMethodDetails: 'Open procedure',
        mainProcurementCategory: 'services',
        contractPeriod: { startDate: '2023-01-09T00:00:00.000Z', endDate: '2023-04-30T22:59:59.000Z' },
        documents: [
          { url: `${CF}552c8041-de65-46f7-a75b-9f5594b99753`, id: '1', type: 'tenderNotice', title: 'Opportunity notice on Contracts Finder' },
          // The buyer's portal, where bids go.
          { url: 'https://procontract.due-north.com/Advert?advertId=ccd8d4ad-8f4f-ed11-811a-005056b64545', id: '2', title: 'Advert' },
        ],
      },
    ],
    [
      CF_20,
      '21c21591-9f65-4468-a4f4-a187ecc0411e-582355',
      {
        valueMin: 5000,
        valueMax: 24999,
        currency: 'GBP',
        values: [
          { source: 'tender', amount: 24999, currency: 'GBP' },
          { source: 'tenderMin', amount: 5000, currency: 'GBP' },
        ],
        // BN11 (Worthing).
        buyerRegion: 'South East',
        deliveryRegions: ENGLAND,
        suitableForSme: true,
        suitableForVcse: false,
        procurementMethod: 'limited',
        procurementMethodDetails: 'Competitive quotation (below threshold)',
        mainProcurementCategory: 'services',
        contractPeriod: { startDate: '2022-11-14T00:00:00.000Z', endDate: '2023-03-28T22:59:59.000Z' },
        documents: [
          { url: `${CF}21c21591-9f65-4468-a4f4-a187ecc0411e`, id: '1', type: 'tenderNotice', title: 'Opportunity notice on Contracts Finder' },
          { url: `${CF}Attachment/388c4a62-31c3-4a10-9303-3216d7aeca3d`, id: '3', type: 'biddingDocuments', title: 'RFQ Document' },
        ],
      },
    ],
    [
      CF_20,
      'c80defc1-9081-4b74-a5b1-d85535d22a12-582109',
      {
        // DE1 3QT; no value, no method, no period on an early engagement notice.
        buyerRegion: 'East Midlands',
        deliveryRegions: ['East Midlands'],
        suitableForSme: true,
        suitableForVcse: true,
        documents: [{ url: `${CF}c80defc1-9081-4b74-a5b1-d85535d22a12`, id: '1', type: 'marketEngagementNotice', title: 'Early engagement notice on Contracts Finder' }],
      },
    ],
    [
      CF_20,
      '97e3ebe6-fac5-49c8-90cb-461e530a3505-582357',
      {
        valueMin: 1875000,
        valueMax: 1875000,
        currency: 'GBP',
        values: [{ source: 'award', id: 'ocds-b5fd17-8af6ed71-be4a-4cf4-bb4b-bbb35e04cbfa-1', amount: 1875000, currency: 'GBP' }],
        // B4 7DJ; the delivery postcode and region agree.
        buyerRegion: 'West Midlands',
        deliveryRegions: ['West Midlands'],
        suitableForSme: true,
        suitableForVcse: false,
        procurementMethod: 'selective',
        procurementMethodDetails: 'Negotiated procedure',
        mainProcurementCategory: 'works',
        contractPeriod: { startDate: '2022-06-28T00:00:00.000Z', endDate: '2023-04-04T22:59:59.000Z' },
        documents: [{ url: `${CF}97e3ebe6-fac5-49c8-90cb-461e530a3505`, id: '1', type: 'awardNotice', title: 'Awarded contract notice on Contracts Finder' }],
      },
    ],
    [
      CF_20,
      '4d908a59-c92e-437f-acde-95cbac21bf35-582281',
      {
        // The award (600,000) ranks before tender.value (500,000) and minValue (600,000).
        valueMin: 600000,
        valueMax: 600000,
        currency: 'GBP',
        values: [
          { source: 'award', id: 'ocds-b5fd17-352f706f-6522-4ebf-8df1-34f9a0a15a19-1', amount: 600000, currency: 'GBP' },
          { source: 'tender', amount: 500000, currency: 'GBP' },
          { source: 'tenderMin', amount: 600000, currency: 'GBP' },
        ],
        // BS34 7QH.
        buyerRegion: 'South West',
        // A postcode in the South West and "United Kingdom": the whole UK.
        deliveryRegions: ALL_UK,
        suitableForSme: true,
        suitableForVcse: false,
        procurementMethod: 'open',
        procurementMethodDetails: 'Open procedure (above threshold)',
        mainProcurementCategory: 'services',
        contractPeriod: { startDate: '2022-10-03T23:00:00.000Z', endDate: '2026-10-03T22:59:59.000Z' },
        documents: [{ url: `${CF}4d908a59-c92e-437f-acde-95cbac21bf35`, id: '1', type: 'awardNotice', title: 'Awarded contract notice on Contracts Finder' }],
      },
    ],
    [
      CF_22,
      '66f22ef7-3591-4a40-8e36-e9f572b7253d-583108',
      {
        valueMin: 78750,
        valueMax: 78750,
        currency: 'GBP',
        values: [
          { source: 'award', id: 'ocds-b5fd17-5e1b17dc-8804-4903-8f1d-6f0474fd1310-1', amount: 78750, currency: 'GBP' },
          { source: 'tender', amount: 78750, currency: 'GBP' },
        ],
        // SW1H 0ET.
        buyerRegion: 'London',
        // "United Kingdom" among other countries: the whole UK, and nothing for the rest.
        deliveryRegions: ALL_UK,
        suitableForSme: true,
        suitableForVcse: false,
        procurementMethod: 'open',
        procurementMethodDetails: 'Open procedure (below threshold)',
        mainProcurementCategory: 'services',
        contractPeriod: { startDate: '2022-09-19T23:00:00.000Z', endDate: '2022-11-28T23:59:59.000Z' },
        documents: [
          { url: `${CF}66f22ef7-3591-4a40-8e36-e9f572b7253d`, id: '1', type: 'awardNotice', title: 'Awarded contract notice on Contracts Finder' },
          { url: `${CF}Attachment/6f0f696e-1594-4c42-9d7a-b72763439d29`, id: '2', title: 'n/a' },
        ],
      },
    ],
  ])('%s %s', async (file, id, expected) => {
    expect(searchFields(await mapReal(file, 'CONTRACTS_FINDER', id))).toEqual(expected);
  });

  it('fc69005c…: the CF notice links the same procurement’s Find a Tender notice', async () => {
    const contract = await mapReal(CF_22, 'CONTRACTS_FINDER', 'fc69005c-e7ad-497c-ac5b-30ad2c8f4228-583151');
    expect(contract.relatedNotices).toEqual([
      { source: 'FIND_A_TENDER', noticeId: '029846-2022', url: `${FTS}029846-2022?` },
    ]);
  });
});

/** Every positive finite amount or amountGross the raw release carries, wherever values.ts looks. */
function rawAmounts(raw: Release): number[] {
  const t = raw.tender;
  const values = [
    ...(raw.contracts ?? []).map((c) => c.implementation?.finalValue),
    ...(raw.awards ?? []).map((a) => a.value),
    ...(raw.contracts ?? []).map((c) => c.value),
    ...(raw.contracts ?? []).flatMap((c) => [...(c.amendments ?? []), ...(c.proposedAmendments ?? [])].map((a) => a.value)),
    t?.value,
    t?.minValue,
    ...(t?.lots ?? []).map((l) => l.value),
    raw.planning?.budget?.amount,
  ];
  return values.flatMap((v) => [v?.amount, v?.amountGross]).filter((n): n is number => typeof n === 'number' && Number.isFinite(n) && n > 0);
}

describe('search fields over every real captured release', () => {
  let all: { source: SourceName; raw: Release; mapped: MappedRelease }[] = [];
  beforeAll(async () => {
    all = await Promise.all(
      (await allRealReleases()).map(async ({ source, release }) => {
        const parsed = parseRelease(release);
        if (!parsed.ok) throw new Error(parsed.reason);
        return { source, raw: parsed.release, mapped: await mapRelease(sources[source], parsed.release, { storeRaw: 'off' }) };
      }),
    );
  });
  const ofSource = (source: SourceName) => all.filter((r) => r.source === source);

  it('a release has a value range exactly when it carries an amount (0 is none)', () => {
    expect(all.length).toBeGreaterThan(1_900);
    for (const { raw, mapped } of all) expect(mapped.contract.valueMin !== undefined, raw.id).toBe(rawAmounts(raw).length > 0);
  });

  it('the range is net amounts of one currency, or gross-only amounts flagged valueIncludesVat', () => {
    for (const { raw, mapped } of all) {
      const { valueMin, valueMax, currency, valueIncludesVat, values = [] } = mapped.contract;
      if (valueMin === undefined) continue;
      const behind = values.filter((v) => v.currency === currency && (v.vatIncluded === true) === (valueIncludesVat === true));
      expect(behind.map((v) => v.amount), raw.id).toContain(valueMin);
      expect(behind.map((v) => v.amount), raw.id).toContain(valueMax);
      // Flagged only when no net amount of the currency exists at all.
      if (valueIncludesVat) expect(values.some((v) => v.currency === currency && v.vatIncluded !== true), raw.id).toBe(false);
    }
    expect(all.filter(({ mapped }) => mapped.contract.valueIncludesVat).map(({ raw }) => raw.id)).toContain('094477-2026');
  });

  it('every value keeps the currency it was published in', () => {
    for (const { raw, mapped } of all) {
      const contracts = raw.contracts ?? [];
      const published = new Set(
        [
          raw.tender?.value,
          raw.tender?.minValue,
          ...(raw.tender?.lots ?? []).map((l) => l.value),
          ...(raw.awards ?? []).map((a) => a.value),
          ...contracts.flatMap((c) => [c.value, c.implementation?.finalValue, ...[...(c.amendments ?? []), ...(c.proposedAmendments ?? [])].map((a) => a.value)]),
          raw.planning?.budget?.amount,
        ].map((v) => v?.currency),
      );
      for (const value of mapped.contract.values ?? []) expect(published, raw.id).toContain(value.currency);
    }
    // Every AED lot of the corpus only repeats its GBP tender's amounts (lotCurrency.ts): none is left in AED.
    const aed = all.flatMap(({ mapped }) => mapped.contract.values ?? []).filter((v) => v.currency === 'AED');
    expect(aed).toEqual([]);
  });

  it('buyerRegion is a UK region name or absent: never "England", never a code; the buyer document agrees', () => {
    for (const { raw, mapped } of all) {
      const { buyerRegion, buyerRegionCode } = mapped.contract;
      if (buyerRegion !== undefined) expect(UK_REGIONS, raw.id).toContain(buyerRegion);
      if (buyerRegionCode !== undefined) expect(buyerRegion, raw.id).toBeDefined();
      expect(mapped.buyer?.region, raw.id).toBe(buyerRegion);
      expect(mapped.buyer?.regionCode, raw.id).toBe(buyerRegionCode);
    }
  });

  it('every CF buyer with a postcode gets its region from it (all of them have one); none has a code', () => {
    const cf = ofSource('CONTRACTS_FINDER');
    expect(cf.length).toBeGreaterThanOrEqual(300);
    for (const { raw, mapped } of cf) {
      expect(mapped.buyer?.postalCode, raw.id).toBeDefined();
      expect(mapped.contract.buyerRegion, raw.id).toBeDefined();
      expect(mapped.contract.buyerRegionCode, raw.id).toBeUndefined();
    }
  });

  it('deliveryRegions: UK names in UK order; CF "England" is the nine English regions, "United Kingdom" all twelve', () => {
    for (const { raw, mapped } of all) {
      const regions = mapped.contract.deliveryRegions ?? [];
      expect(regions, raw.id).toEqual(UK_REGIONS.filter((r) => regions.includes(r)));
      const addresses = (raw.tender?.items ?? []).flatMap((i) => i.deliveryAddresses ?? []);
      if (addresses.some((a) => a.region === 'England')) expect(regions, raw.id).toEqual(expect.arrayContaining(ENGLAND));
      if (addresses.some((a) => a.countryName === 'United Kingdom' && !a.region && !a.postalCode)) expect(regions, raw.id).toEqual(ALL_UK);
    }
    // e731f496 lists the nine English regions one by one: all nine, not the first.
    const e731 = all.find(({ raw }) => raw.id.startsWith('e731f496'));
    expect(e731?.mapped.contract.deliveryRegions).toEqual(ENGLAND);
  });

  it('every CF release says whether it suits SMEs and VCSEs', () => {
    for (const { raw, mapped } of ofSource('CONTRACTS_FINDER')) {
      expect(mapped.contract.suitableForSme, raw.id).toBe(raw.tender?.suitability?.sme);
      expect(mapped.contract.suitableForVcse, raw.id).toBe(raw.tender?.suitability?.vcse);
    }
  });

  it('relatedNotices: the two CF releases that link a Find a Tender notice, and the 44 FTS notices that quote the SC Ref of the PCS notice they were sent on from', () => {
    const linked = all.filter(({ mapped }) => mapped.contract.relatedNotices !== undefined);
    const cf = linked.filter(({ mapped }) => mapped.contract.source === 'CONTRACTS_FINDER');
    expect(cf.map(({ raw }) => raw.id).sort()).toEqual(['edc9d363-cd9f-4de8-9db6-1db8110d43e9-819946', 'fc69005c-e7ad-497c-ac5b-30ad2c8f4228-583151']);
    const fts = linked.filter(({ mapped }) => mapped.contract.source === 'FIND_A_TENDER');
    expect(fts).toHaveLength(44);
    for (const { mapped } of fts) expect(mapped.contract.relatedNotices).toEqual([{ source: 'PUBLIC_CONTRACTS_SCOTLAND', url: expect.stringMatching(/Search_Switch\.aspx\?ID=\d+$/) }]);
  });
});
